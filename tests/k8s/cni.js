// SPDX-License-Identifier: MIT
// cni.js: what Multus does for one pod of `cengine export kubernetes`, with the real CNI plugins: for each entry of
// the pod's k8s.v1.cni.cncf.io/networks annotation, the NetworkAttachmentDefinition's exact plugin chain, each
// plugin given the capability args it declares (runtimeConfig ips, mac, bandwidth, as libcni does) and the result
// before it (prevResult). ADD keeps the results in STATE for DEL, which runs the chain in reverse.
// usage: node cni.js add|del FILE.yaml POD NETNS_PATH STATE.json   (plugins from $CNI_PATH, default /usr/lib/cni)
"use strict";
const fs = require("fs");
const { spawnSync } = require("child_process");
const yaml = require("js-yaml");

const [cmd, file, podName, netns, stateFile] = process.argv.slice(2);
const docs = yaml.loadAll(fs.readFileSync(file, "utf8")).filter((d) => d);
const pod = docs.find((d) => d.kind === "Pod" && d.metadata.name === podName);
if (!pod) throw new Error(`no pod ${podName} in ${file}`);
const entries = JSON.parse((pod.metadata.annotations || {})["k8s.v1.cni.cncf.io/networks"] || "[]");

// libcni: runtimeConfig holds only what the plugin's capabilities ask for.
function runtimeConfig(plugin, e) {
  const rc = {}, caps = plugin.capabilities || {};
  if (caps.ips && e.ips) rc.ips = e.ips;
  if (caps.mac && e.mac) rc.mac = e.mac;
  if (caps.bandwidth && e.bandwidth) rc.bandwidth = e.bandwidth;
  return rc;
}

function run(command, conf, plugin, e, prev) {
  const net = { ...plugin, cniVersion: conf.cniVersion, name: conf.name, runtimeConfig: runtimeConfig(plugin, e) };
  delete net.capabilities;
  if (prev) net.prevResult = prev;
  const r = spawnSync(`${process.env.CNI_PATH || "/usr/lib/cni"}/${plugin.type}`, [], {
    input: JSON.stringify(net),
    env: { ...process.env, CNI_COMMAND: command, CNI_CONTAINERID: `cengine-${podName}`, CNI_NETNS: netns,
           CNI_IFNAME: e.interface, CNI_PATH: process.env.CNI_PATH || "/usr/lib/cni" },
  });
  if (r.status !== 0) throw new Error(`${command} ${plugin.type} ${e.interface}: ${r.stdout}${r.stderr}`);
  return command === "ADD" ? JSON.parse(r.stdout) : prev;
}

const state = cmd === "add" ? {} : JSON.parse(fs.readFileSync(stateFile, "utf8"));
for (const e of entries) {
  const nad = docs.find((d) => d.kind === "NetworkAttachmentDefinition" && d.metadata.name === e.name);
  const conf = JSON.parse(nad.spec.config);
  if (cmd === "add") {
    let prev = null;
    for (const p of conf.plugins) prev = run("ADD", conf, p, e, prev);
    state[e.interface] = prev;
    console.log(JSON.stringify({ interface: e.interface, result: prev }));
  } else {
    for (const p of [...conf.plugins].reverse()) run("DEL", conf, p, e, state[e.interface]);
  }
}
if (cmd === "add") fs.writeFileSync(stateFile, JSON.stringify(state));

// SPDX-License-Identifier: MIT
// validate.js: every manifest of `cengine export kubernetes` against its schema, offline: Namespace and Pod with
// kubernetes-models (the published OpenAPI schemas), NetworkAttachmentDefinition and Topology with the vendored
// Multus and meshnet CRDs (ajv; unknown fields refused, as the API server's pruning would drop them), plus what
// the schemas leave as strings: the CNI config list and the pod's networks annotation are JSON of the right shape.
// usage: node validate.js CRD_DIR FILE.yaml...   prints one line per document, exits 1 on any error.
"use strict";
const fs = require("fs");
const path = require("path");
const yaml = require("js-yaml");
const Ajv = require("ajv");
const v1 = require("kubernetes-models/v1");

const [crdDir, ...files] = process.argv.slice(2);
const ajv = new Ajv({ strict: false, allErrors: true, formats: { int32: true, int64: true } });
const dns1123 = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
let bad = 0;

// An object schema with properties takes no other field (the API server prunes them).
function strict(s) {
  if (s && typeof s === "object") {
    if (s.type === "object" && s.properties && s.additionalProperties === undefined) s.additionalProperties = false;
    for (const v of Object.values(s)) strict(v);
  }
  return s;
}

function crd(file, version) {
  const doc = yaml.loadAll(fs.readFileSync(path.join(crdDir, file), "utf8")).find((d) => d && d.kind === "CustomResourceDefinition");
  const ver = doc.spec.versions.find((v) => v.name === version);
  const schema = strict(JSON.parse(JSON.stringify(ver.schema.openAPIV3Schema)));
  // the fields of every object (ObjectMeta's are checked below)
  Object.assign(schema.properties, { apiVersion: { type: "string" }, kind: { type: "string" }, metadata: { type: "object" } });
  return { api: `${doc.spec.group}/${version}`, check: ajv.compile(schema) };
}

const nad = crd("multus-crd.yaml", "v1");
const topo = crd("meshnet-crd.yaml", "v1beta1");
const nads = new Set(), configMaps = new Set();

function need(cond, what) {
  if (!cond) throw new Error(what);
}

function checkCrd(c, d) {
  need(d.apiVersion === c.api, `apiVersion ${d.apiVersion}, not ${c.api}`);
  if (!c.check(d)) throw new Error(ajv.errorsText(c.check.errors));
}

function checkCni(d) {
  const conf = JSON.parse(d.spec.config);
  need(conf.name === d.metadata.name && Array.isArray(conf.plugins) && conf.plugins.length > 0, "config: name and plugins");
  need(conf.plugins.every((p) => typeof p.type === "string"), "config: every plugin has a type");
  need(conf.plugins[0].type === "bridge" && conf.plugins[0].ipam.type === "static", "config: bridge with static IPAM first");
  nads.add(`${d.metadata.namespace}/${d.metadata.name}`);
}

function checkNetworks(d) {
  const a = (d.metadata.annotations || {})["k8s.v1.cni.cncf.io/networks"];
  if (a === undefined) return;
  for (const e of JSON.parse(a)) {
    need(nads.has(`${e.namespace}/${e.name}`), `networks: ${e.name} is no NetworkAttachmentDefinition above`);
    need(/^net[0-9]+$/.test(e.interface), `networks: interface ${e.interface}`);
    need(/^([0-9a-f]{2}:){5}[0-9a-f]{2}$/.test(e.mac), `networks: mac ${e.mac}`);
    need(Array.isArray(e.ips) && e.ips.every((ip) => /\/[0-9]+$/.test(ip)), "networks: ips in CIDR form");
  }
}

// a configMap volume names a ConfigMap above; every mount names a volume of the pod
function checkVolumes(d) {
  const vols = new Set((d.spec.volumes || []).map((v) => v.name));
  for (const v of d.spec.volumes || [])
    if (v.configMap) need(configMaps.has(`${d.metadata.namespace}/${v.configMap.name}`), `volume ${v.name}: no ConfigMap ${v.configMap.name} above`);
  for (const c of d.spec.containers)
    for (const m of c.volumeMounts || []) need(vols.has(m.name), `mount ${m.mountPath}: no volume ${m.name}`);
}

function check(d) {
  need(dns1123.test(d.metadata.name), `name ${d.metadata.name}`);
  if (d.kind !== "Namespace") need(dns1123.test(d.metadata.namespace), `namespace ${d.metadata.namespace}`);
  switch (d.kind) {
    case "Namespace": new v1.Namespace(d).validate(); break;
    case "ConfigMap": new v1.ConfigMap(d).validate(); configMaps.add(`${d.metadata.namespace}/${d.metadata.name}`); break;
    case "Pod": new v1.Pod(d).validate(); checkNetworks(d); checkVolumes(d); break;
    case "NetworkAttachmentDefinition": checkCrd(nad, d); checkCni(d); break;
    case "Topology": checkCrd(topo, d); break;
    default: throw new Error(`unknown kind ${d.kind}`);
  }
}

for (const f of files)
  for (const d of yaml.loadAll(fs.readFileSync(f, "utf8")).filter((x) => x)) {
    const what = `${path.basename(f)}: ${d.kind} ${d.metadata && d.metadata.name}`;
    try {
      check(d);
      console.log(`valid ${what}`);
    } catch (e) {
      console.log(`INVALID ${what}: ${e.message}`);
      bad++;
    }
  }
process.exit(bad ? 1 : 0);

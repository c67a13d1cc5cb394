/* SPDX-License-Identifier: MIT */
/* test_parser.c: unit tests for parser_load(), the plan printer and its key tables, naming and address math. */
#include <ctype.h>
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "model/imageref.h"
#include "model/naming.h"
#include "parser/internal.h"
#include "parser/parser.h"
#include "util/addr.h"
#include "util/cleanup.h"

/* Every test runs inside a fresh temp dir holding an empty "root" directory,
 * so confs say rootfs = "root" and errors read "t.conf:LINE: ...". */
static char tmpdir[] = "/tmp/ce-test-parser-XXXXXX";
static char rootdir[PATH_MAX];	/* realpath of tmpdir/root */
static char datadir[PATH_MAX];	/* realpath of tests/data in the source tree */

/* Line 1..3 of every error test file; container [0] is valid, [1] is on line 5. */
#define HEAD "name = \"t\";\n" \
	"networks = ( { name = \"lan\"; subnet = \"192.168.1.0/24\"; gateway = \"192.168.1.1\"; } );\n" \
	"containers = (\n" \
	"  { name = \"c1\"; rootfs = \"root\"; ip = \"192.168.1.2\"; },\n"

static int rm_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	return remove(path);
}

/* tests/data: $TOP_SRCDIR (set by make check), else relative to this file. */
static int find_datadir(void)
{
	const char *top = getenv("TOP_SRCDIR");
	const char *slash = strrchr(__FILE__, '/');
	char dir[PATH_MAX];
	int n;

	if (top)
		n = snprintf(dir, sizeof(dir), "%s/tests/data", top);
	else
		n = snprintf(dir, sizeof(dir), "%.*s/../data", slash ? (int)(slash - __FILE__) : 1,
			     slash ? __FILE__ : ".");
	return n > 0 && n < (int)sizeof(dir) && realpath(dir, datadir) ? 0 : -1;
}

static void data_file(char out[PATH_MAX], const char *name)
{
	int n = snprintf(out, PATH_MAX, "%s/%s", datadir, name);

	assert_in_range(n, 1, PATH_MAX - 1);
}

static int group_setup(void **state)
{
	if (find_datadir() < 0 || !mkdtemp(tmpdir) || chdir(tmpdir) < 0 || mkdir("root", 0755) < 0 || !realpath("root", rootdir))
		return -1;
	return 0;
}

static int group_teardown(void **state)
{
	if (chdir("/") < 0)
		return -1;
	return nftw(tmpdir, rm_entry, 8, FTW_DEPTH | FTW_PHYS);
}

__attribute__((format(printf, 2, 3)))
static void write_conf(const char *name, const char *fmt, ...)
{
	FILE *f = fopen(name, "w");
	va_list ap;

	assert_non_null(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	assert_int_equal(fclose(f), 0);
}

static struct project *load_ok(const char *file)
{
	struct ce_error err = { 0 };
	struct project *p = NULL;

	if (parser_load(file, &p, &err) < 0)
		fail_msg("unexpected error: %s", err.msg);
	assert_non_null(p);
	return p;
}

/* Load FILE holding TEXT, expect exactly the message EXPECTED and EINVAL. */
static void expect_error(const char *file, const char *text, const char *expected)
{
	struct ce_error err = { 0 };
	struct project *p = NULL;

	write_conf(file, "%s", text);
	assert_int_equal(parser_load(file, &p, &err), -1);
	assert_null(p);
	assert_int_equal(err.code, EINVAL);
	assert_string_equal(err.msg, expected);
	assert_null(strchr(err.msg, '\n'));
}

/* Error in container [1] (line 5) of a one-network file named t.conf. */
static void expect_c2_error(const char *body, const char *expected)
{
	char text[2048];

	snprintf(text, sizeof(text), HEAD "  { %s }\n);\n", body);
	expect_error("t.conf", text, expected);
}

static const char pair_conf[] =
	"# pair.conf: two containers on one bridge\n"
	"name = \"pair\";\n"
	"networks = (\n"
	"  { name = \"lan\"; subnet = \"192.168.1.0/24\"; gateway = \"192.168.1.1\"; mtu = 1400; }\n"
	");\n"
	"defaults = { rootfs = \"root\"; memory = \"50M\"; env = [ \"A=1\", \"B=2\" ]; };\n"
	"containers = (\n"
	"  { name = \"centos1\"; ip = \"192.168.1.2\"; cpu = 0.5; pids = 64;\n"
	"    command = [ \"/bin/sh\", \"-c\", \"sleep 1\" ]; env = [ \"B=3\", \"C=4\" ]; },\n"
	"  { name = \"centos2\"; hostname = \"db\"; memory = 8388608;\n"
	"    interfaces = ( { network = \"lan\"; ip = \"192.168.1.3/24\"; } ); }\n"
	");\n";

static void assert_strv(char **v, const char **want)
{
	size_t i = 0;

	assert_non_null(v);
	for (; want[i]; i++) {
		assert_non_null(v[i]);
		assert_string_equal(v[i], want[i]);
	}
	assert_null(v[i]);
}

static void test_pair_networks(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;

	write_conf("pair.conf", "%s", pair_conf);
	p = load_ok("pair.conf");
	assert_string_equal(p->file, "pair.conf");
	assert_string_equal(p->name, "pair");
	assert_int_equal(p->n_networks, 1);
	assert_string_equal(p->networks[0].name, "lan");
	assert_string_equal(p->networks[0].bridge, "ce-pair-lan");
	assert_int_equal(p->networks[0].subnet, 0xc0a80100);
	assert_int_equal(p->networks[0].prefix, 24);
	assert_int_equal(p->networks[0].gateway, 0xc0a80101);
	assert_int_equal(p->networks[0].mtu, 1400);
	assert_int_equal(p->networks[0].line, 4);
}

static void test_pair_containers(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	const char *argv[] = { "/bin/sh", "-c", "sleep 1", NULL };
	struct container *c;

	write_conf("pair.conf", "%s", pair_conf);
	p = load_ok("pair.conf");
	assert_int_equal(p->n_containers, 2);
	c = &p->containers[0];
	assert_string_equal(c->name, "centos1");
	assert_string_equal(c->hostname, "centos1");
	assert_string_equal(c->rootfs, rootdir);
	assert_true(c->limits.cpu == 0.5);
	assert_int_equal(c->limits.memory, 52428800);
	assert_int_equal(c->limits.pids, 64);
	assert_strv(c->command, argv);
	assert_int_equal(c->line, 8);
	c = &p->containers[1];
	assert_string_equal(c->hostname, "db");
	assert_int_equal(c->limits.memory, 8388608);
	assert_true(c->limits.cpu == 0);
	assert_int_equal(c->limits.pids, PIDS_DEFAULT);	/* no pids: the safe default */
	assert_int_equal(c->limits.rw_size, 8388608);	/* the writes' tmpfs holds at most memory */
	assert_null(c->command);
}

static void test_pair_interfaces(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	char veth[CE_IFNAME_MAX];
	struct iface *f;

	write_conf("pair.conf", "%s", pair_conf);
	p = load_ok("pair.conf");
	assert_int_equal(p->containers[0].n_ifaces, 1);
	f = &p->containers[0].ifaces[0];
	assert_int_equal(f->network, 0);
	assert_int_equal(f->addr, 0xc0a80102);
	assert_int_equal(f->prefix, 24);
	assert_string_equal(f->ifname, "eth0");
	naming_veth("pair", "centos1", 0, veth);
	assert_string_equal(f->host_ifname, veth);
	assert_int_equal(f->line, 8);
	f = &p->containers[1].ifaces[0];
	assert_int_equal(f->addr, 0xc0a80103);
	assert_int_equal(f->line, 11);
}

static void test_env_merge(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	const char *env1[] = { "A=1", "B=3", "C=4", NULL };
	const char *env2[] = { "A=1", "B=2", NULL };

	write_conf("pair.conf", "%s", pair_conf);
	p = load_ok("pair.conf");
	assert_strv(p->containers[0].env, env1);
	assert_strv(p->containers[1].env, env2);
}

/* issue 14: env_file before env (defaults' then the container's), depends_on as indices with count
 * copies, ulimits' numbers, stop defaults, extra_hosts canonical, links-only files. */
static void test_service_model(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	const char *env[] = { "D=file", "E=defaults", "F=own", "G=env", NULL };
	const struct container *c;

	write_conf("d.env", "D=file\nE=file\n");
	write_conf("own.env", "# own\nF=own\nG=own\n");
	write_conf("fx.conf", "containers = ( { name = \"db\"; count = 2; },\n"
		   "  { name = \"c\"; env_file = [ \"own.env\" ]; env = [ \"G=env\" ]; depends_on = [ \"db2\", \"db1\" ];\n"
		   "    ulimits = [ \"nofile=10\", \"core=1:unlimited\" ]; stop_signal = \"INT\"; stop_timeout = 0.25;\n"
		   "    extra_hosts = [ \"h:[FD00:0::1]\" ]; } );\n"
		   "defaults = { env_file = [ \"d.env\" ]; env = [ \"E=defaults\" ]; };\n"
		   "links = ( { a = \"db1\"; b = \"c\"; }, { a = \"db2\"; b = \"c\"; b_ifname = \"up\"; } );\n");
	p = load_ok("fx.conf");
	assert_int_equal(p->n_networks, 0);
	c = &p->containers[2];
	assert_strv(c->env, env);
	assert_int_equal(c->svc.n_depends, 2);
	assert_int_equal(c->svc.depends[0], 1);	/* db2 */
	assert_int_equal(c->svc.depends[1], 0);	/* db1 */
	assert_int_equal(c->svc.n_ulimits, 2);
	assert_true(c->svc.ulimits[0].soft == 10 && c->svc.ulimits[0].hard == 10);
	assert_true(c->svc.ulimits[1].soft == 1 && c->svc.ulimits[1].hard == RLIM_INFINITY);
	assert_int_equal(c->svc.stop_signal, SIGINT);
	assert_int_equal(c->svc.stop_timeout_ms, 250);
	assert_string_equal(c->svc.extra_hosts[0], "fd00::1\th");
	assert_int_equal(p->containers[0].svc.stop_timeout_ms, -1);
	assert_int_equal(p->containers[0].svc.stop_signal, 0);
	assert_string_equal(p->links[0].end[1].ifname, "eth0");
	assert_string_equal(p->links[1].end[1].ifname, "up");
}

static void test_defaults_override(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	const char *argv[] = { "/bin/true", NULL };

	write_conf("d.conf", "networks = ( { name = \"n\"; subnet = \"10.0.0.0/8\"; } );\n"
		   "defaults = { rootfs = \"/\"; cpu = 1; pids = 10; command = [ \"/bin/false\" ]; };\n"
		   "containers = ( { name = \"a\"; rootfs = \"root\"; cpu = 0.25; command = [ \"/bin/true\" ];\n"
		   "  ip = \"10.0.0.2\"; } );\n");
	p = load_ok("d.conf");
	assert_string_equal(p->containers[0].rootfs, rootdir);
	assert_true(p->containers[0].limits.cpu == 0.25);
	assert_int_equal(p->containers[0].limits.pids, 10);
	assert_strv(p->containers[0].command, argv);
	assert_null(p->containers[0].env);
	assert_string_equal(p->networks[0].bridge, "ce-d-n");
	assert_int_equal(p->networks[0].gateway, 0);
}

static void test_name_from_file(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;

	write_conf("web-1.conf", "networks = ( { name = \"lan\"; subnet = \"10.1.0.0/24\"; } );\n"
		   "containers = ( { name = \"w\"; rootfs = \"root\"; ip = \"10.1.0.9/24\"; } );\n");
	p = load_ok("web-1.conf");
	assert_string_equal(p->name, "web-1");
	assert_string_equal(p->networks[0].bridge, "cep5hm5c7wwelmk");	/* a '-' in the name: hashed */
	expect_error("bad name.conf", "networks = ();\n",
		     "bad name.conf:1: name: \"bad name\" (from the file name) is not a valid project name, set name = \"...\"");
}

static void test_two_networks(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	char veth[CE_IFNAME_MAX];

	write_conf("two.conf", "networks = ( { name = \"a\"; subnet = \"10.1.0.0/24\"; },\n"
		   "  { name = \"b\"; subnet = \"10.2.0.0/24\"; bridge = \"br-b\"; } );\n"
		   "containers = ( { name = \"x\"; rootfs = \"root\"; interfaces = (\n"
		   "  { network = \"a\"; ip = \"10.1.0.2\"; }, { network = \"b\"; ip = \"10.2.0.2\"; } ); } );\n");
	p = load_ok("two.conf");
	assert_string_equal(p->networks[1].bridge, "br-b");
	assert_int_equal(p->containers[0].n_ifaces, 2);
	assert_string_equal(p->containers[0].ifaces[1].ifname, "eth1");
	assert_int_equal(p->containers[0].ifaces[1].network, 1);
	naming_veth("two", "x", 1, veth);
	assert_string_equal(p->containers[0].ifaces[1].host_ifname, veth);
}

static void test_data_dir_relative_rootfs(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	char file[PATH_MAX];

	data_file(file, "minimal.conf");
	p = load_ok(file);
	assert_string_equal(p->name, "minimal");
	assert_string_equal(p->containers[0].rootfs, datadir);
}

static void test_plan(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	_cleanup_free_ char *buf = NULL, *want = NULL;
	char v1[CE_IFNAME_MAX], v2[CE_IFNAME_MAX];
	size_t len = 0;
	FILE *out;

	write_conf("pair.conf", "%s", pair_conf);
	p = load_ok("pair.conf");
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	parser_print_plan(p, out);
	assert_int_equal(fclose(out), 0);
	naming_veth("pair", "centos1", 0, v1);
	naming_veth("pair", "centos2", 0, v2);
	assert_true(asprintf(&want, "project pair (pair.conf)\n"
		"network lan: bridge ce-pair-lan, subnet 192.168.1.0/24, gateway 192.168.1.1, mtu 1400\n"
		"container centos1: hostname centos1, rootfs %s, cpu 0.5, memory 52428800, pids 64, command /bin/sh -c \"sleep 1\"\n"
		"  eth0 192.168.1.2/24 on lan (host veth %s)\n"
		"  writes: a tmpfs of at most 52428800 bytes (memory)\n"
		"  env A=1\n  env B=3\n  env C=4\n"
		"container centos2: hostname db, rootfs %s, cpu -, memory 8388608, pids 4096 (default), command (wait)\n"
		"  eth0 192.168.1.3/24 on lan (host veth %s)\n"
		"  writes: a tmpfs of at most 8388608 bytes (memory)\n"
		"  env A=1\n  env B=2\n", rootdir, v1, rootdir, v2) > 0);
	assert_string_equal(buf, want);
}

static void test_syntax_and_io_errors(void **state)
{
	struct ce_error err = { 0 };
	struct project *p = NULL;
	char file[PATH_MAX], want[PATH_MAX + 64];

	data_file(file, "syntax.conf");
	assert_int_equal(parser_load(file, &p, &err), -1);
	snprintf(want, sizeof(want), "%s:3: syntax error", file);
	assert_string_equal(err.msg, want);
	assert_int_equal(err.code, EINVAL);
	assert_int_equal(parser_load("nope.conf", &p, &err), -1);
	assert_int_equal(err.code, ENOENT);
	assert_string_equal(err.msg, "nope.conf: No such file or directory");
	assert_null(p);
}

static void test_unknown_keys(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; cpux = 1;",
			"t.conf:5: containers.[1].cpux: unknown key");
	expect_error("t.conf", "name = \"t\";\nnetwork = ();\n", "t.conf:2: network: unknown key");
	expect_error("t.conf", "networks = ( { name = \"lan\"; subnet = \"10.0.0.0/8\";\n mask = 8; } );\n",
		     "t.conf:2: networks.[0].mask: unknown key");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; interfaces = ( { network = \"lan\"; ip = \"192.168.1.3\"; mac = \"x\"; } );",
			"t.conf:5: containers.[1].interfaces.[0].mac: unknown key");
}

static void test_wrong_types(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; cpu = \"half\";",
			"t.conf:5: containers.[1].cpu: expected a number");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; pids = 1.5;",
			"t.conf:5: containers.[1].pids: expected an integer");
	expect_c2_error("name = 7;", "t.conf:5: containers.[1].name: expected a string");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; command = \"/bin/sh\";",
			"t.conf:5: containers.[1].command: expected a list of strings [ \"...\", ... ]");
	expect_error("t.conf", "networks = { name = \"lan\"; };\n",
		     "t.conf:1: networks: expected a list ( { name = ...; subnet = ...; }, ... )");
}

static void test_duplicate_container(void **state)
{
	expect_c2_error("name = \"c1\"; rootfs = \"root\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].name: \"c1\" is already used by containers.[0]");
}

static void test_duplicate_address(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.2\";",
			"t.conf:5: containers.[1].ip: 192.168.1.2 is already used by c1");
}

static void test_outside_subnet(void **state)
{
	static const char conf[] =
		"# pair.conf: the second container is on the wrong subnet\n"
		"name = \"pair\";\n"
		"networks = (\n"
		"  { name = \"lan\";\n"
		"    subnet = \"192.168.1.0/24\";\n"
		"    gateway = \"192.168.1.1\"; }\n"
		");\n"
		"containers = (\n"
		"  { name = \"c1\";\n"
		"    rootfs = \"root\";\n"
		"    ip = \"192.168.1.2\"; },\n"
		"  { name = \"c2\";\n"
		"    rootfs = \"root\";\n"
		"    ip = \"192.168.2.3\"; }\n"
		");\n";

	expect_error("pair.conf", conf, "pair.conf:14: containers.[1].ip: 192.168.2.3 is outside lan 192.168.1.0/24");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3/16\";",
			"t.conf:5: containers.[1].ip: prefix /16 does not match lan 192.168.1.0/24");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.300\";",
			"t.conf:5: containers.[1].ip: \"192.168.1.300\" is not an IPv4 address");
}

static void test_reserved_addresses(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.1\";",
			"t.conf:5: containers.[1].ip: 192.168.1.1 is the gateway of lan");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.0\";",
			"t.conf:5: containers.[1].ip: 192.168.1.0 is the network address of lan 192.168.1.0/24");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.255\";",
			"t.conf:5: containers.[1].ip: 192.168.1.255 is the broadcast address of lan 192.168.1.0/24");
}

static void test_network_errors(void **state)
{
	expect_error("t.conf", "networks = ( { name = \"lan\"; subnet = \"10.0.0.0/24\"; gateway = \"10.0.1.1\"; } );\n",
		     "t.conf:1: networks.[0].gateway: 10.0.1.1 is outside lan 10.0.0.0/24");
	expect_error("t.conf", "networks = ( { name = \"lan\"; subnet = \"10.0.0.0/24\"; gateway = \"10.0.0.255\"; } );\n",
		     "t.conf:1: networks.[0].gateway: 10.0.0.255 is the broadcast address of lan 10.0.0.0/24");
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.0.0.0/16\"; },\n"
		     "  { name = \"b\"; subnet = \"10.0.3.0/24\"; } );\n",
		     "t.conf:2: networks.[1].subnet: 10.0.3.0/24 overlaps a 10.0.0.0/16");
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.0.0.0/16\"; },\n"
		     "  { name = \"a\"; subnet = \"10.1.0.0/16\"; } );\n",
		     "t.conf:2: networks.[1].name: \"a\" is already used by networks.[0]");
	expect_error("t.conf", "networks = ( { name = \"a\"; } );\n", "t.conf:1: networks.[0].subnet: missing");
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.0.0.0/8\"; mtu = 20; } );\n",
		     "t.conf:1: networks.[0].mtu: 20 is outside 68..65535");
}

static void test_subnet_errors(void **state)
{
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.0.0.1/24\"; } );\n",
		     "t.conf:1: networks.[0].subnet: 10.0.0.1/24 has host bits set, the network is 10.0.0.0/24");
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.0.0.0/31\"; } );\n",
		     "t.conf:1: networks.[0].subnet: prefix /31 is outside /8../30");
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.0.0.0\"; } );\n",
		     "t.conf:1: networks.[0].subnet: \"10.0.0.0\" has no prefix, like 192.168.1.0/24");
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"lan\"; } );\n",
		     "t.conf:1: networks.[0].subnet: \"lan\" is not an IPv4 subnet like 192.168.1.0/24");
}

static void test_bridge_name(void **state)
{
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.0.0.0/8\"; bridge = \"bridge-too-long-0\"; } );\n",
		     "t.conf:1: networks.[0].bridge: \"bridge-too-long-0\" is longer than 15 bytes");
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.0.0.0/8\"; bridge = \"br/0\"; } );\n",
		     "t.conf:1: networks.[0].bridge: \"br/0\" is not a valid interface name");
}

static void test_hostname(void **state)
{
	expect_c2_error("name = \"c2\"; hostname = \"bad_host\"; rootfs = \"root\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].hostname: \"bad_host\" is not a valid hostname");
	expect_c2_error("name = \"c2\"; hostname = \"h234567890123456789012345678901234567890123456789012345678901234\"; rootfs = \"root\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].hostname: \"h234567890123456789012345678901234567890123456789012345678901234\" is longer than 63 bytes");
	expect_c2_error("name = \"my_c\"; rootfs = \"root\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].hostname: name \"my_c\" is not a valid hostname, set hostname");
	expect_c2_error("name = \"-c\";",
			"t.conf:5: containers.[1].name: \"-c\" is not a valid name ([A-Za-z0-9][A-Za-z0-9_.-]*)");
}

static void test_rootfs(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"/x/no/such\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].rootfs: /x/no/such: no such directory");
	expect_c2_error("name = \"c2\"; rootfs = \"t.conf\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].rootfs: t.conf: not a directory, a .tar/.tar.gz/.tgz/.tar.xz/.tar.zst file or \"host\"");
	/* the path goes into the overlay's mount options: no separator may change its meaning */
	assert_int_equal(mkdir("a,upperdir=x", 0755), 0);
	expect_c2_error("name = \"c2\"; rootfs = \"a,upperdir=x\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].rootfs: a,upperdir=x: an overlay lower directory must be shorter than 512 bytes, without ',' ':' or '\\'");
	expect_c2_error("name = \"c2\"; ip = \"192.168.1.3\"; cap_add = [ \"NET_ADMIN\", \"CAP_NOPE\" ];",
			"t.conf:5: containers.[1].cap_add.[1]: \"CAP_NOPE\" is not a capability (like \"NET_ADMIN\" or \"ALL\")");
	expect_c2_error("name = \"c2\"; ip = \"192.168.1.3\"; seccomp = 1;",
			"t.conf:5: containers.[1].seccomp: expected true or false");
	expect_c2_error("name = \"c2\"; ip = \"192.168.1.3\"; userns = { uid = 0; };",
			"t.conf:5: containers.[1].userns.uid: 0 is out of range (1 to 4294967294)");
	expect_c2_error("name = \"c2\"; ip = \"192.168.1.3\"; userns = { size = 5; };",
			"t.conf:5: containers.[1].userns.size: unknown key (uid, gid, count)");
}

static void test_image(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; image = \"alpine\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].image: use either rootfs or image, not both");
	expect_c2_error("name = \"c2\"; image = \"Alpine\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].image: \"Alpine\": \"Alpine\" is not an image name (lowercase letters, digits, . _ - and /)");
	expect_c2_error("name = \"c2\"; image = \"alpine:3.22@sha256:12\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].image: \"alpine:3.22@sha256:12\": the digest is not sha256: and 64 lowercase hex digits");
	expect_c2_error("name = \"c2\"; image = \"oci:/x/no/such:v1\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].image: /x/no/such: No such file or directory");
	expect_c2_error("name = \"c2\"; image = \"oci:t.conf\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].image: t.conf: not a directory (an OCI image layout)");
	expect_c2_error("name = \"c2\"; image = \"docker-archive:root\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].image: root: not a file");
	expect_c2_error("name = \"c2\"; image = \"containers-storage:alpine\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].image: \"containers-storage:alpine\": the transport containers-storage is not "
			"supported (oci:, oci-archive:, docker-archive:, docker:// or a registry name)");
	expect_c2_error("name = \"c2\"; image = \"\"; ip = \"192.168.1.3\";",
			"t.conf:5: containers.[1].image: \"\": must not be empty");
}

/* Registry names expand as Docker's do; file transports keep their reference. */
static void test_imageref(void **state)
{
	static const char *const cases[][2] = {
		{ "alpine", "docker://docker.io/library/alpine:latest" },
		{ "alpine:3.22", "docker://docker.io/library/alpine:3.22" },
		{ "user/app:v1", "docker://docker.io/user/app:v1" },
		{ "docker://index.docker.io/alpine", "docker://docker.io/library/alpine:latest" },
		{ "localhost/app", "docker://localhost/app:latest" },
		{ "127.0.0.1:5000/a/b:t", "docker://127.0.0.1:5000/a/b:t" },
		{ "quay.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
		  "docker://quay.io/x/y@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef" },
		{ "oci:/srv/lay:v1", "oci:/srv/lay:v1" },
		{ "oci-archive:/a.tar", "oci-archive:/a.tar" },
		{ "docker-archive:/a.tar:alpine:3.22", "docker-archive:/a.tar:alpine:3.22" },
	};
	static const char *const bad[] = { "oci:", "oci:/x:", "docker://", "a//b", "-a", "a:b:c", "a:-t",
					   "x@sha256:ABCDEF", "dir:/x" };
	struct image_ref r;
	char why[256], out[IMAGEREF_MAX];

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		if (imageref_parse(cases[i][0], &r, why, sizeof(why)) < 0)
			fail_msg("%s: %s", cases[i][0], why);
		imageref_format(&r, out, sizeof(out));
		assert_string_equal(out, cases[i][1]);
	}
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++)
		if (imageref_parse(bad[i], &r, why, sizeof(why)) == 0)
			fail_msg("%s was taken", bad[i]);
}

/* A container's rootfs wins over the defaults' image, and its image over the defaults' rootfs. */
static void test_image_over_defaults(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	struct ce_error err = { 0 };

	write_conf("t.conf", "networks = ( { name = \"lan\"; subnet = \"10.0.0.0/24\"; } );\n"
		   "defaults = { image = \"alpine\"; };\n"
		   "containers = ( { name = \"a\"; rootfs = \"root\"; ip = \"10.0.0.2\"; },\n"
		   "  { name = \"b\"; ip = \"10.0.0.3\"; } );\n");
	if (parser_load("t.conf", &p, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(p->containers[0].rootfs_kind, ROOTFS_DIR);
	assert_null(p->containers[0].image);
	assert_int_equal(p->containers[1].rootfs_kind, ROOTFS_IMAGE);
	assert_string_equal(p->containers[1].image, "docker://docker.io/library/alpine:latest");
	assert_null(p->containers[1].rootfs);
}

static void test_cpu(void **state)
{
	char want[256];

	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; cpu = 0;",
			"t.conf:5: containers.[1].cpu: must be greater than 0, got 0");
	snprintf(want, sizeof(want), "t.conf:5: containers.[1].cpu: 1000 is more than the %ld online CPUs",
		 sysconf(_SC_NPROCESSORS_ONLN));
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; cpu = 1000;", want);
}

static void test_memory_units(void **state)
{
	static const struct { const char *text; uint64_t bytes; } cases[] = {
		{ "\"50M\"", 50ull << 20 }, { "\"50MB\"", 50ull << 20 }, { "\"1g\"", 1ull << 30 },
		{ "\"4096K\"", 4ull << 20 }, { "\"2T\"", 2ull << 40 }, { "\"4194304\"", 4194304 },
		{ "8388608", 8388608 }, { "8589934592L", 8ull << 30 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(*cases); i++) {
		_cleanup_(project_freep) struct project *p = NULL;

		write_conf("m.conf", "networks = ( { name = \"n\"; subnet = \"10.0.0.0/8\"; } );\n"
			   "containers = ( { name = \"a\"; rootfs = \"root\"; ip = \"10.0.0.2\"; memory = %s; } );\n",
			   cases[i].text);
		p = load_ok("m.conf");
		assert_int_equal(p->containers[0].limits.memory, cases[i].bytes);
	}
}

static void test_memory_errors(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; memory = \"50Q\";",
			"t.conf:5: containers.[1].memory: \"50Q\" has an unknown unit (use K, M, G or T)");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; memory = \"1M\";",
			"t.conf:5: containers.[1].memory: 1048576 bytes is below the minimum of 4M (4194304 bytes)");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; memory = \"M\";",
			"t.conf:5: containers.[1].memory: \"M\" is not a size like \"50M\"");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; memory = \"99999999999T\";",
			"t.conf:5: containers.[1].memory: \"99999999999T\" is too large");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; memory = -5;",
			"t.conf:5: containers.[1].memory: must be greater than 0, got -5");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; memory = 0.5;",
			"t.conf:5: containers.[1].memory: expected a size like \"50M\" or a number of bytes");
}

static void test_pids_and_command(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; pids = 0;",
			"t.conf:5: containers.[1].pids: must be greater than 0, got 0");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; pids = -3;",
			"t.conf:5: containers.[1].pids: must be greater than 0, got -3");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; command = [];",
			"t.conf:5: containers.[1].command: must not be empty");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; command = [ \"/bin/sh\", \"\" ];",
			"t.conf:5: containers.[1].command.[1]: must not be empty");
}

static void test_env_errors(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; env = [ \"A=1\", \"=x\" ];",
			"t.conf:5: containers.[1].env.[1]: \"=x\" is not KEY=VALUE");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; env = [ \"NOVALUE\" ];",
			"t.conf:5: containers.[1].env.[0]: \"NOVALUE\" is not KEY=VALUE");
}

#define C2 "name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; "

/* binds, tmpfs, files, devices, sysctls, user, workdir: what each refuses. */
static void test_fixture_errors(void **state)
{
	expect_c2_error(C2 "binds = [ \"nosuch:/x\" ];",
			"t.conf:5: containers.[1].binds.[0]: nosuch: no such file or directory on the host");
	expect_c2_error(C2 "binds = [ \"root\" ];",
			"t.conf:5: containers.[1].binds.[0]: \"root\" is not \"SRC:DST\", \"SRC:DST:ro\" or \"SRC:DST:rw\"");
	expect_c2_error(C2 "binds = [ \"root:/x:rx\" ];",
			"t.conf:5: containers.[1].binds.[0]: \"root:/x:rx\" is not \"SRC:DST\", \"SRC:DST:ro\" or \"SRC:DST:rw\"");
	expect_c2_error(C2 "binds = [ \"root:x\" ];", "t.conf:5: containers.[1].binds.[0]: \"x\" is not an absolute path");
	expect_c2_error(C2 "binds = [ \"root:/\" ];", "t.conf:5: containers.[1].binds.[0]: \"/\" is the container's root (refused)");
	expect_c2_error(C2 "binds = [ \"root:/a/../etc\" ];",
			"t.conf:5: containers.[1].binds.[0]: \"/a/../etc\" has a \".\" or \"..\" component (refused)");
	expect_c2_error(C2 "binds = [ \"root://proc/sys\" ];",
			"t.conf:5: containers.[1].binds.[0]: \"//proc/sys\" is in /proc, which cengine mounts itself (refused)");
	expect_c2_error(C2 "binds = [ \"root:/a\", \"root:/a/b\" ];",
			"t.conf:5: containers.[1].binds: bind /a/b lies in bind /a (refused: it would change the host's directory)");
	expect_c2_error(C2 "tmpfs = [ \"/t:size=0\" ];", "t.conf:5: containers.[1].tmpfs.[0]: size must be greater than 0");
	expect_c2_error(C2 "tmpfs = [ \"/t:uid=1\" ];", "t.conf:5: containers.[1].tmpfs.[0]: \"uid=1\" is not size=N or mode=OCTAL");
	expect_c2_error(C2 "tmpfs = [ \"/t\" ]; files = ( { path = \"/t/f\"; content = \"\"; } );",
			"t.conf:5: containers.[1].files: file /t/f lies in tmpfs /t, which would hide it (refused)");
	expect_c2_error(C2 "files = ( { path = \"/f\"; } );", "t.conf:5: containers.[1].files.[0]: needs either content or source");
	expect_c2_error(C2 "files = ( { path = \"/etc/hosts\"; content = \"\"; } );",
			"t.conf:5: containers.[1].files.[0].path: /etc/hosts is written by cengine (refused)");
	expect_c2_error(C2 "files = ( { path = \"/f\"; content = \"\"; mode = \"0999\"; } );",
			"t.conf:5: containers.[1].files.[0].mode: \"0999\" is not an octal mode like \"0644\"");
	expect_c2_error(C2 "devices = [ \"/dev/mem\" ];", "t.conf:5: containers.[1].devices.[0]: \"/dev/mem\" is not a device a "
			"container may have (/dev/net/tun, /dev/fuse, /dev/ppp, /dev/vhost-net, /dev/vhost-vsock, /dev/kvm)");
	expect_c2_error(C2 "sysctls = [ \"kernel.hostname=x\" ];", "t.conf:5: containers.[1].sysctls.[0]: kernel.hostname: use the hostname key");
	expect_c2_error(C2 "sysctls = [ \"net.ipv4.ip_forward\" ];", "t.conf:5: containers.[1].sysctls.[0]: \"net.ipv4.ip_forward\" is not KEY=VALUE");
	expect_c2_error(C2 "sysctls = [ \"net/../../x=1\" ];", "t.conf:5: containers.[1].sysctls.[0]: \"net/../../x\" is not a sysctl name");
	expect_c2_error(C2 "user = \"a:b:c\";", "t.conf:5: containers.[1].user: \"a:b:c\" is not \"UID[:GID]\" or \"NAME[:GROUP]\"");
	expect_c2_error(C2 "user = \"4294967295\";", "t.conf:5: containers.[1].user: \"4294967295\" is not \"UID[:GID]\" or \"NAME[:GROUP]\"");
	expect_c2_error(C2 "workdir = \"src\";", "t.conf:5: containers.[1].workdir: \"src\" is not an absolute path");
	expect_c2_error(C2 "shm_size = 0;", "t.conf:5: containers.[1].shm_size: must be greater than 0, got 0");
}

/* What the keys put into the model; a container's own list replaces the one of defaults. */
static void test_fixture_model(void **state)
{
	_cleanup_(project_freep) struct project *p = NULL;
	const struct fixture *f;

	write_conf("fx.conf", "networks = ( { name = \"n\"; subnet = \"10.0.0.0/24\"; } );\n"
		   "defaults = { rootfs = \"root\"; binds = [ \"root:/d\" ]; sysctls = [ \"kernel.shmmax=1\" ]; user = \"1\"; };\n"
		   "containers = ( { name = \"a\"; ip = \"10.0.0.2\"; binds = [ \"./root:/src//x/:ro\" ];\n"
		   "  tmpfs = [ \"/t\" ]; sysctls = [ \"net/ipv4/conf/eth0.5/forwarding=1\" ]; } );\n");
	p = load_ok("fx.conf");
	f = &p->containers[0].fx;
	assert_int_equal(f->n_binds, 1);
	assert_string_equal(f->binds[0].src, rootdir);
	assert_string_equal(f->binds[0].dst, "/src/x");
	assert_true(f->binds[0].ro);
	assert_int_equal(f->n_tmpfs, 1);
	assert_int_equal(f->tmpfs[0].mode, 01777);
	assert_int_equal(f->tmpfs[0].size, 0);
	assert_int_equal(f->n_sysctls, 1);
	assert_string_equal(f->user, "1");
	assert_int_equal(fixture_shm_size(f), 64 << 20);
}

static void test_missing_sections(void **state)
{
	expect_error("t.conf", "name = \"t\";\n"
		     "networks = ( { name = \"lan\"; subnet = \"10.0.0.0/8\"; } );\n"
		     "containers = ();\n", "t.conf:3: containers: must not be empty");
	expect_error("t.conf", "name = \"t\";\nnetworks = ( { name = \"lan\"; subnet = \"10.0.0.0/8\"; } );\n",
		     "t.conf:1: containers: no containers defined");
	expect_error("t.conf", "name = \"t\";\n", "t.conf:1: networks: no networks defined");
	expect_error("t.conf", "containers = ( { name = \"c\"; } );\n", "t.conf:1: networks: no networks defined");
	expect_error("t.conf", "networks = ();\n", "t.conf:1: networks: must not be empty");
}

static void test_container_interfaces(void **state)
{
	expect_c2_error("name = \"c2\"; rootfs = \"root\";",
			"t.conf:5: containers.[1]: has no ip or interfaces");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; interfaces = ( { network = \"wan\"; ip = \"192.168.1.3\"; } );",
			"t.conf:5: containers.[1].interfaces.[0].network: unknown network \"wan\"");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; interfaces = ( { ip = \"192.168.1.3\"; } );",
			"t.conf:5: containers.[1].interfaces.[0].network: missing");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; ip = \"192.168.1.3\"; interfaces = ( { network = \"lan\"; ip = \"192.168.1.4\"; } );",
			"t.conf:5: containers.[1].ip: use either ip or interfaces, not both");
	expect_c2_error("name = \"c2\"; rootfs = \"root\"; interfaces = ( { network = \"lan\"; ip = \"192.168.1.3\"; },"
			" { network = \"lan\"; ip = \"192.168.1.4\"; } );",
			"t.conf:5: containers.[1].interfaces.[1].network: c2 already has an interface on lan");
}

static void test_ip_needs_one_network(void **state)
{
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.1.0.0/16\"; }, { name = \"b\"; subnet = \"10.2.0.0/16\"; } );\n"
		     "containers = ( { name = \"c\"; rootfs = \"root\";\n ip = \"10.1.0.2\"; } );\n",
		     "t.conf:3: containers.[0].ip: ip needs exactly one network (2 defined), use interfaces = ( { network = ...; ip = ...; } )");
}

static void test_defaults_errors(void **state)
{
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.1.0.0/16\"; } );\n"
		     "defaults = { rootfs = \"root\";\n  ip = \"10.1.0.2\"; };\n"
		     "containers = ( { name = \"c\"; } );\n",
		     "t.conf:3: defaults.ip: not allowed in defaults");
	expect_error("t.conf", "networks = ( { name = \"a\"; subnet = \"10.1.0.0/16\"; } );\n"
		     "defaults = { cpu = \"x\"; };\n"
		     "containers = ( { name = \"c\"; } );\n",
		     "t.conf:2: defaults.cpu: expected a number");
	expect_error("t.conf", "name = \"bad name\";\n",
		     "t.conf:1: name: \"bad name\" is not a valid project name ([A-Za-z0-9_-], 1 to 32 bytes)");
}

static void test_addr_parse(void **state)
{
	uint32_t a = 0;
	int p = 0;

	assert_int_equal(addr_parse("10.1.2.3", &a, NULL), 0);
	assert_int_equal(a, 0x0a010203);
	assert_int_equal(addr_parse("10.1.2.3/24", &a, NULL), -1);
	assert_int_equal(addr_parse("10.1.2.3", &a, &p), 0);
	assert_int_equal(p, -1);
	assert_int_equal(addr_parse("0.0.0.0/0", &a, &p), 0);
	assert_int_equal(p, 0);
	assert_int_equal(addr_parse("255.255.255.255/32", &a, &p), 0);
	assert_int_equal(a, 0xffffffff);
	assert_int_equal(addr_parse("10.1.2.3/33", &a, &p), -1);
	assert_int_equal(addr_parse("10.1.2.3/", &a, &p), -1);
	assert_int_equal(addr_parse("10.1.2.3/2x", &a, &p), -1);
	assert_int_equal(addr_parse("10.1.2", &a, &p), -1);
	assert_int_equal(addr_parse("256.1.2.3", &a, &p), -1);
	assert_int_equal(addr_parse("", &a, &p), -1);
	assert_int_equal(addr_parse("/24", &a, &p), -1);
}

static void test_addr_math(void **state)
{
	char buf[16];

	assert_int_equal(addr_mask(0), 0);
	assert_int_equal(addr_mask(24), 0xffffff00);
	assert_int_equal(addr_mask(32), 0xffffffff);
	assert_int_equal(addr_network(0xc0a801ff, 24), 0xc0a80100);
	assert_true(addr_in_subnet(0xc0a80102, 0xc0a80100, 24));
	assert_false(addr_in_subnet(0xc0a80202, 0xc0a80100, 24));
	assert_true(addr_subnets_overlap(0x0a000000, 8, 0x0a010000, 16));
	assert_true(addr_subnets_overlap(0x0a010000, 16, 0x0a000000, 8));
	assert_false(addr_subnets_overlap(0x0a010000, 16, 0x0a020000, 16));
	assert_false(addr_subnets_overlap(0xc0a80100, 25, 0xc0a80180, 25));
	assert_string_equal(addr_format(0xc0a80101, buf, sizeof(buf)), "192.168.1.1");
}

static void test_naming_mark_owner(void **state)
{
	char alias[NAMING_MARK_MAX], project[CE_PROJECT_MAX + 1], role[NAMING_ROLE_MAX];

	naming_mark("pair-1", "veth", alias, sizeof(alias));
	assert_string_equal(alias, "cengine:pair-1:veth");
	assert_true(naming_mark_owner(alias, project, role));
	assert_string_equal(project, "pair-1");
	assert_string_equal(role, "veth");
	naming_mark("abcdefghijklmnopqrstuvwxyz012345", "bridge", alias, sizeof(alias));	/* the longest */
	assert_true(naming_mark_owner(alias, project, role));
	assert_string_equal(project, "abcdefghijklmnopqrstuvwxyz012345");
	assert_false(naming_mark_owner("", project, role));
	assert_false(naming_mark_owner("cengine::veth", project, role));
	assert_false(naming_mark_owner("cengine:p", project, role));
	assert_false(naming_mark_owner("cengine:p:", project, role));
	assert_false(naming_mark_owner("cengine:p:veth:x", project, role));
	assert_false(naming_mark_owner("cengine:p q:veth", project, role));
	assert_false(naming_mark_owner("cengine:p:Veth", project, role));
	assert_false(naming_mark_owner("cengine:abcdefghijklmnopqrstuvwxyz0123456:veth", project, role));
	assert_false(naming_mark_owner("xcengine:p:veth", project, role));
}

static void test_naming_hash(void **state)
{
	assert_int_equal(naming_hash(""), 0x811c9dc5u);
	assert_int_equal(naming_hash("a"), 0xe40c292cu);
	assert_int_equal(naming_hash("foobar"), 0xbf9cf968u);
}

/* Only [a-z2-7] after the two-letter prefix, 15 bytes in all. */
static void assert_hashed(const char *name, const char *prefix)
{
	assert_int_equal(strlen(name), 15);
	assert_memory_equal(name, prefix, 2);
	assert_int_equal(strspn(name + 2, "abcdefghijklmnopqrstuvwxyz234567"), 13);
}

static void test_naming_bridge(void **state)
{
	char out[CE_IFNAME_MAX], other[CE_IFNAME_MAX];

	naming_bridge("pair", "lan", out);
	assert_string_equal(out, "ce-pair-lan");
	naming_bridge("abcdef", "ghijk", out);
	assert_string_equal(out, "ce-abcdef-ghijk");	/* exactly 15 bytes */
	naming_bridge("abcdefg", "ghijk", out);
	assert_string_equal(out, "cefmirdaspkdcz3");	/* base32 of SHA-256("bridge\0abcdefg\0ghijk") */
	naming_bridge("averyveryverylongprojectname", "network", out);
	assert_hashed(out, "ce");
	/* "ce-a-b-c" was project a-b's network c and project a's network b-c: a '-' in either name hashes */
	naming_bridge("a-b", "c", out);
	naming_bridge("a", "b-c", other);
	assert_string_equal(out, "cerizulvv4kixug");
	assert_string_equal(other, "cek54hct2ym24w3");
}

static void test_naming_veth_and_cgroup(void **state)
{
	char out[CE_IFNAME_MAX], want[CE_IFNAME_MAX], cg[128];

	naming_veth("pair", "centos1", 0, out);
	assert_string_equal(out, "veawcx6ccfd744c");	/* base32 of SHA-256("veth\0pair\0centos1\00") */
	naming_veth("pair", "centos1", 1, want);
	assert_string_equal(want, "veuujn5fi3kcolr");
	naming_veth("p", "c", 9999, out);
	assert_hashed(out, "ve");
	naming_veth("pa", "ir/c", 0, want);	/* the parts are NUL-separated: no two splits meet */
	naming_veth("pa/ir", "c", 0, out);
	assert_string_not_equal(out, want);
	naming_cgroup("pair", "c1", cg, sizeof(cg));
	assert_string_equal(cg, "cengine/pair/c1");
	naming_cgroup("pair", NULL, cg, sizeof(cg));
	assert_string_equal(cg, "cengine/pair");
}

/* ---- every key of every table: a sample that sets it, and what `check` then shows ---- */

#define NET1 "networks = ( { name = \"lan\"; subnet = \"10.0.0.0/24\"; gateway = \"10.0.0.1\"; subnet6 = \"fd00::/64\"; } );\n"
#define NET2 "networks = ( { name = \"lan\"; subnet = \"10.0.0.0/24\"; subnet6 = \"fd00::/64\"; },\n" \
	"  { name = \"lan2\"; subnet = \"10.0.1.0/24\"; } );\n"
#define ONE_C "containers = ( { name = \"k\"; ip = \"10.0.0.2\"; } );\n"
#define THREE_C "containers = ( { name = \"k\"; ip = \"10.0.0.2\"; }, { name = \"p\"; ip = \"10.0.0.3\"; },\n" \
	"  { name = \"q\"; ip = \"10.0.0.4\"; } );\n"

/* A file for one group's samples: before + the group's settings + after. */
struct frame {
	const char *group;
	const char *before, *after;
	const char *base;		/* the least settings the group needs */
};

static const struct frame frames[] = {
	{ "root", "", "", NET1 ONE_C },
	{ "network", "networks = ( { ", " } );\n" ONE_C, "name = \"lan\"; subnet = \"10.0.0.0/24\";" },
	{ "container", NET1 "containers = ( { ", " } );\n", "name = \"k\"; ip = \"10.0.0.2\";" },
	{ "interface", NET2 "containers = ( { name = \"k\"; interfaces = ( { ", " } ); } );\n",
	  "network = \"lan\"; ip = \"10.0.0.2\";" },
	{ "link", NET1 THREE_C "links = ( { ", " } );\n", "a = \"k\"; b = \"p\";" },
};

/* A key's sample: the group's settings with the key among them, and what check shows for it
 * (and does not show for the frame's base alone, unless the base sets the key too). */
struct sample {
	const char *group, *key;
	const char *text;
	const char *shown;
};

#define C_BASE "name = \"k\"; ip = \"10.0.0.2\"; "
#define I_BASE "network = \"lan\"; ip = \"10.0.0.2\"; "
#define N_BASE "name = \"lan\"; subnet = \"10.0.0.0/24\"; "
#define L_BASE "a = \"k\"; b = \"p\"; "

/* A link's impairment KEY = VALUE: on both ends, and as a_KEY and b_KEY on one end only. */
#define LINK_IMPAIR(key, value, shown) \
	{ "link", key, L_BASE key " = \"" value "\";", "\n  k:eth1 " shown "\n  p:eth1 " shown "\n" }, \
	{ "link", "a_" key, L_BASE "a_" key " = \"" value "\";", "\n  k:eth1 " shown "\n  p:eth1\n" }, \
	{ "link", "b_" key, L_BASE "b_" key " = \"" value "\";", "\n  k:eth1\n  p:eth1 " shown "\n" }

/* A new key needs a line here: test_every_key_is_shown fails without one. */
static const struct sample samples[] = {
	{ "root", "name", "name = \"keys\";\n" NET1 ONE_C, "project keys (kt.conf)\n" },
	{ "root", "networks", NET1 ONE_C, "network lan: bridge ce-kt-lan, subnet 10.0.0.0/24, gateway 10.0.0.1\n" },
	{ "root", "defaults", NET1 "defaults = { cpu_weight = 77; };\n" ONE_C, ", cpu_weight 77" },
	{ "root", "containers", NET1 ONE_C, "container k: hostname k, " },
	{ "root", "links", NET1 THREE_C "links = ( { a = \"k\"; b = \"p\"; } );\n", "link k:eth1 - p:eth1\n" },

	{ "network", "name", "name = \"wan\"; subnet = \"10.0.0.0/24\";", "network wan: bridge ce-kt-wan," },
	{ "network", "bridge", N_BASE "bridge = \"br-keys\";", ": bridge br-keys, " },
	{ "network", "subnet", "name = \"lan\"; subnet = \"10.0.0.0/16\";", ", subnet 10.0.0.0/16, " },
	{ "network", "gateway", N_BASE "gateway = \"10.0.0.1\";", ", gateway 10.0.0.1" },
	{ "network", "mtu", N_BASE "mtu = 1400;", ", mtu 1400\n" },
	{ "network", "subnet6", N_BASE "subnet6 = \"fd00:1::/64\";", "\n  subnet6 fd00:1::/64, gateway6 -\n" },
	{ "network", "gateway6", N_BASE "subnet6 = \"fd00:1::/64\"; gateway6 = \"fd00:1::1\";", ", gateway6 fd00:1::1\n" },
	{ "network", "nat", N_BASE "gateway = \"10.0.0.1\"; nat = true;", "\n  nat: masquerade " },

	{ "container", "name", "name = \"web\"; ip = \"10.0.0.2\";", "container web: hostname web, " },
	{ "container", "count", C_BASE "count = 2;", "container k2: hostname k2, " },
	{ "container", "hostname", C_BASE "hostname = \"bee\";", ": hostname bee, " },
	{ "container", "rootfs", C_BASE "rootfs = \"root\";", "/root, cpu " },
	{ "container", "image", C_BASE "image = \"alpine:3.22\";", ", image docker://docker.io/library/alpine:3.22, cpu " },
	{ "container", "ip", "name = \"k\"; ip = \"10.0.0.9\";", "\n  eth0 10.0.0.9/24 on lan (host veth " },
	{ "container", "interfaces", "name = \"k\"; interfaces = ( { network = \"lan\"; ip = \"10.0.0.7\"; } );",
	  "\n  eth0 10.0.0.7/24 on lan (host veth " },
	{ "container", "ipv6", C_BASE "ipv6 = \"fd00::9\";", "\n  eth0 ipv6 fd00::9\n" },
	{ "container", "cpu", C_BASE "cpu = 0.5;", ", cpu 0.5, " },
	{ "container", "memory", C_BASE "memory = \"64M\";", ", memory 67108864, " },
	{ "container", "pids", C_BASE "pids = 10;", ", pids 10, " },
	{ "container", "cpu_weight", C_BASE "cpu_weight = 50;", ", cpu_weight 50, " },
	{ "container", "cpuset", C_BASE "cpuset = \"0\";", ", cpuset 0, " },
	{ "container", "memory_high", C_BASE "memory_high = \"32M\";", ", memory_high 33554432, " },
	{ "container", "memory_swap", C_BASE "memory = \"64M\"; memory_swap = \"16M\";", ", memory_swap 16777216, " },
	{ "container", "io_weight", C_BASE "io_weight = 60;", ", io_weight 60, " },
	{ "container", "command", C_BASE "command = [ \"sleep\", \"1 2\" ];", ", command sleep \"1 2\"\n" },
	{ "container", "env", C_BASE "env = [ \"A=1\" ];", "\n  env A=1\n" },
	{ "container", "userns", C_BASE "userns = { uid = 100000; };", "\n  userns on uid 100000 gid 100000\n" },
	{ "container", "cap_add", C_BASE "cap_add = [ \"NET_ADMIN\" ];", "\n  cap_add NET_ADMIN\n" },
	{ "container", "cap_drop", C_BASE "cap_drop = [ \"ALL\" ];", "\n  cap_drop ALL\n" },
	{ "container", "seccomp", C_BASE "seccomp = false;", "\n  seccomp off\n" },
	{ "container", "ready", C_BASE "ready = [ \"test\", \"-e\", \"/up\" ];", "\n  ready test -e /up\n" },
	{ "container", "ready_timeout", C_BASE "ready_timeout = 2.5;", "\n  ready_timeout 2.5s\n" },
	{ "container", "restart", C_BASE "restart = \"on-failure\";", "\n  restart on-failure\n" },
	{ "container", "log_max_size", C_BASE "log_max_size = \"1M\";", "\n  log_max_size 1048576\n" },
	{ "container", "log_max_files", C_BASE "log_max_files = 5;", "\n  log_max_files 5\n" },
	{ "container", "unpack_max_size", C_BASE "unpack_max_size = \"64M\";", "\n  unpack_max_size 67108864\n" },
	{ "container", "unpack_max_entries", C_BASE "unpack_max_entries = 1000;", "\n  unpack_max_entries 1000\n" },
	{ "container", "routes", C_BASE "routes = ( { to = \"10.9.0.0/24\"; via = \"10.0.0.1\"; } );",
	  "\n  route 10.9.0.0/24 via 10.0.0.1\n" },
	{ "container", "forward", C_BASE "forward = true;", "\n  forward on (own netns)\n" },
	{ "container", "spoofing", C_BASE "spoofing = true;", "\n  spoofing allowed (no source MAC/IP filtering" },
	{ "container", "env_file", C_BASE "env_file = [ \"kt.env\" ];", "\n  env FROM_FILE=1\n" },
	{ "container", "dns", C_BASE "dns = [ \"10.0.0.53\", \"fd00::53\" ];", "\n  dns 10.0.0.53 fd00::53\n" },
	{ "container", "dns_search", C_BASE "dns_search = [ \"lab.test\" ];", "\n  dns_search lab.test\n" },
	{ "container", "extra_hosts", C_BASE "extra_hosts = [ \"db:10.0.0.9\", \"v6:[fd00::9]\" ];",
	  "\n  extra_host db 10.0.0.9\n  extra_host v6 fd00::9\n" },
	{ "container", "ulimits", C_BASE "ulimits = [ \"nofile=1024:4096\", \"core=0\" ];",
	  "\n  ulimits nofile=1024:4096 core=0:0\n" },
	{ "container", "stop_signal", C_BASE "stop_signal = \"SIGINT\";", "\n  stop_signal SIGINT (2)\n" },
	{ "container", "stop_timeout", C_BASE "stop_timeout = 2.5;", "\n  stop_timeout 2.5s\n" },
	{ "container", "depends_on", "name = \"k\"; ip = \"10.0.0.2\"; depends_on = [ \"p\" ]; }, { name = \"p\"; ip = \"10.0.0.3\";",
	  "\n  depends_on p (its command starts once they are ready)\n" },
	{ "container", "binds", C_BASE "binds = [ \"root:/src:ro\" ];", "/root at /src (ro)\n" },
	{ "container", "tmpfs", C_BASE "tmpfs = [ \"/scratch:size=16M,mode=700\" ];", "\n  tmpfs /scratch size 16777216 mode 0700\n" },
	{ "container", "files", C_BASE "files = ( { path = \"/etc/a.conf\"; content = \"x\"; mode = \"0600\"; } );",
	  "\n  file /etc/a.conf mode 0600, 1 bytes\n" },
	{ "container", "devices", C_BASE "devices = [ \"/dev/net/tun\" ];", "\n  device /dev/net/tun (c 10:200)\n" },
	{ "container", "sysctls", C_BASE "sysctls = [ \"net.ipv4.ip_forward=1\" ];", "\n  sysctl net.ipv4.ip_forward=1\n" },
	{ "container", "user", C_BASE "user = \"app:1000\";", "\n  user app:1000 (from the container" },
	{ "container", "workdir", C_BASE "workdir = \"/src//x/\";", "\n  workdir /src/x\n" },
	{ "container", "shm_size", C_BASE "shm_size = \"32M\";", "\n  shm_size 33554432\n" },

	{ "interface", "network", "network = \"lan2\"; ip = \"10.0.1.2\";", "\n  eth0 10.0.1.2/24 on lan2 (host veth " },
	{ "interface", "ip", "network = \"lan\"; ip = \"10.0.0.9\";", "\n  eth0 10.0.0.9/24 on lan (host veth " },
	{ "interface", "ipv6", I_BASE "ipv6 = \"fd00::9\";", "\n  eth0 ipv6 fd00::9\n" },
	{ "interface", "delay", I_BASE "delay = \"50ms\";", "\n  eth0 egress delay 50ms\n" },
	{ "interface", "jitter", I_BASE "jitter = \"5ms\";", "\n  eth0 egress jitter 5ms\n" },
	{ "interface", "loss", I_BASE "loss = \"1%\";", "\n  eth0 egress loss 1%\n" },
	{ "interface", "rate", I_BASE "rate = \"10mbit\";", "\n  eth0 egress rate 10000kbit\n" },
	{ "interface", "accept_ra", I_BASE "accept_ra = true;", "\n  eth0 accepts IPv6 router advertisements\n" },

	{ "link", "a", "a = \"q\"; b = \"p\";", "link q:eth1 - p:eth1\n" },
	{ "link", "b", "a = \"k\"; b = \"q\";", "link k:eth1 - q:eth1\n" },
	{ "link", "a_ip", L_BASE "a_ip = \"10.9.0.1/30\"; b_ip = \"10.9.0.2/30\";", "\n  k:eth1 10.9.0.1/30\n" },
	{ "link", "b_ip", L_BASE "a_ip = \"10.9.0.1/30\"; b_ip = \"10.9.0.2/30\";", "\n  p:eth1 10.9.0.2/30\n" },
	{ "link", "a_ipv6", L_BASE "a_ipv6 = \"fd09::1/64\"; b_ipv6 = \"fd09::2/64\";", "\n  k:eth1 fd09::1/64\n" },
	{ "link", "b_ipv6", L_BASE "a_ipv6 = \"fd09::1/64\"; b_ipv6 = \"fd09::2/64\";", "\n  p:eth1 fd09::2/64\n" },
	{ "link", "mtu", L_BASE "mtu = 9000;", "\n  mtu 9000\n" },
	LINK_IMPAIR("delay", "5ms", "delay 5ms"),
	LINK_IMPAIR("jitter", "2ms", "jitter 2ms"),
	LINK_IMPAIR("loss", "3%", "loss 3%"),
	LINK_IMPAIR("rate", "1mbit", "rate 1000kbit"),
	{ "link", "a_accept_ra", L_BASE "a_accept_ra = true;", "\n  k:eth1 accept_ra\n  p:eth1\n" },
	{ "link", "b_accept_ra", L_BASE "b_accept_ra = true;", "\n  k:eth1\n  p:eth1 accept_ra\n" },
	{ "link", "a_ifname", L_BASE "a_ifname = \"to-p\";", "link k:to-p - p:eth1\n" },
	{ "link", "b_ifname", L_BASE "b_ifname = \"to-k\";", "link k:eth1 - p:to-k\n" },
	{ "link", "a_mac", L_BASE "a_mac = \"02:00:00:00:00:0a\";", "\n  k:eth1 mac 02:00:00:00:00:0a\n" },
	{ "link", "b_mac", L_BASE "b_mac = \"02-00-00-00-00-0B\";", "\n  p:eth1 mac 02:00:00:00:00:0b\n" },
};

#define N_SAMPLES (sizeof(samples) / sizeof(*samples))

static const struct frame *frame_of(const char *group)
{
	for (size_t i = 0; i < sizeof(frames) / sizeof(*frames); i++)
		if (!strcmp(frames[i].group, group))
			return &frames[i];
	return NULL;
}

static const struct sample *sample_of(const char *group, const char *key)
{
	for (size_t i = 0; i < N_SAMPLES; i++)
		if (!strcmp(samples[i].group, group) && !strcmp(samples[i].key, key))
			return &samples[i];
	return NULL;
}

/* Does text say "key =" (key not the tail of a longer name)? */
static bool sets_key(const char *text, const char *key)
{
	size_t len = strlen(key);

	for (const char *at = strstr(text, key); at; at = strstr(at + 1, key))
		if ((at == text || !(isalnum((unsigned char)at[-1]) || at[-1] == '_')) && !strncmp(at + len, " =", 2))
			return true;
	return false;
}

/* What `check` prints for f's file around settings (kt.conf); the load must succeed. */
static char *plan_of(const struct frame *f, const char *settings)
{
	_cleanup_(project_freep) struct project *p = NULL;
	struct ce_error err = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	write_conf("kt.conf", "%s%s%s", f->before, settings, f->after);
	if (parser_load("kt.conf", &p, &err) < 0)
		fail_msg("%s settings \"%s\": %s", f->group, settings, err.msg);
	out = open_memstream(&buf, &len);
	assert_non_null(out);
	assert_int_equal(parser_print_plan(p, out), 0);
	assert_int_equal(fclose(out), 0);
	return buf;
}

/* Every key of g has a printer, and no two keys of g have one name. */
static void check_group(const struct key_group *g)
{
	for (const struct key *const *t = g->tables; *t; t++)
		for (const struct key *k = *t; k->name; k++) {
			if (!k->print)
				fail_msg("%s key %s has no printer", g->name, k->name);
			for (const struct key *const *u = g->tables; *u; u++)
				for (const struct key *o = *u; o->name && o != k; o++)
					if (!strcmp(o->name, k->name))
						fail_msg("%s key %s is in its tables twice", g->name, k->name);
		}
}

/* One key: it has a sample, and check shows what the sample set. */
static void check_key(const struct key_group *g, const struct key *k, const char *base_plan, bool *used)
{
	const struct frame *f = frame_of(g->name);
	const struct sample *s = sample_of(g->name, k->name);
	_cleanup_free_ char *plan = NULL;

	if (!s)
		fail_msg("%s key %s has no sample: add one to samples[] in %s", g->name, k->name, __FILE__);
	if (!sets_key(s->text, k->name))
		fail_msg("the sample of %s key %s does not set it: %s", g->name, k->name, s->text);
	plan = plan_of(f, s->text);
	if (!strstr(plan, s->shown))
		fail_msg("%s key %s: check does not show \"%s\":\n%s", g->name, k->name, s->shown, plan);
	if (!sets_key(f->base, k->name) && strstr(base_plan, s->shown))
		fail_msg("%s key %s: check shows \"%s\" without the key too", g->name, k->name, s->shown);
	used[s - samples] = true;
}

/* Each key of each table is shown by `check`. */
static void test_every_key_is_shown(void **state)
{
	bool used[N_SAMPLES] = { false };
	size_t keys = 0;

	write_conf("kt.env", "# env_file's sample\nFROM_FILE=1\n");

	for (const struct key_group *const *g = pv_groups; *g; g++)	/* before printing anything */
		check_group(*g);
	for (const struct key_group *const *g = pv_groups; *g; g++) {
		const struct frame *f = frame_of((*g)->name);
		_cleanup_free_ char *base_plan = NULL;

		if (!f)
			fail_msg("key group %s has no frame: add one to frames[] in %s", (*g)->name, __FILE__);
		base_plan = plan_of(f, f->base);
		for (const struct key *const *t = (*g)->tables; *t; t++)
			for (const struct key *k = *t; k->name; k++, keys++)
				check_key(*g, k, base_plan, used);
	}
	for (size_t i = 0; i < N_SAMPLES; i++)
		if (!used[i])
			fail_msg("samples[] has %s key %s, which no table has", samples[i].group, samples[i].key);
	assert_int_equal(keys, N_SAMPLES);
}

/* The lines of the keys check did not show before, in table order; a printer that several keys
 * share (ip, ipv6) prints once. */
static void test_plan_new_lines(void **state)
{
	_cleanup_free_ char *plan = NULL, *want = NULL;
	/* no memory: the writes' tmpfs holds a quarter of the RAM */
	unsigned long long quarter = (unsigned long long)sysconf(_SC_PHYS_PAGES) * (unsigned long long)sysconf(_SC_PAGESIZE) / 4;
	static const char want_fmt[] =
		"  eth0 ipv6 fd00::9\n"
		"  writes: a tmpfs of at most %llu bytes (a quarter of this host's RAM; memory sets it)\n"
		"  env A=1\n"
		"  userns off\n"
		"  cap_add NET_ADMIN SYS_TIME\n"
		"  cap_drop ALL\n"
		"  seccomp on\n"
		"  ready /bin/sh -c \"test -e /up\"\n"
		"  ready_timeout 3s\n"
		"  restart always\n"
		"  forward on (own netns)\n"
		"container p: hostname p, rootfs /, cpu -, memory -, pids 4096 (default), command (wait)\n";

	plan = plan_of(&frames[0], NET1 "containers = ( { name = \"k\"; ip = \"10.0.0.2\"; ipv6 = \"fd00::9\";\n"
		       "  env = [ \"A=1\" ]; forward = true; restart = \"always\"; ready_timeout = 3;\n"
		       "  ready = [ \"/bin/sh\", \"-c\", \"test -e /up\" ]; seccomp = true; userns = false;\n"
		       "  cap_drop = [ \"ALL\" ]; cap_add = [ \"NET_ADMIN\", \"SYS_TIME\" ]; },\n"
		       "  { name = \"p\"; ip = \"10.0.0.3\"; } );\n"
		       "links = ( { a = \"k\"; b = \"p\"; mtu = 1400; a_loss = \"5%\"; } );\n");
	assert_true(asprintf(&want, want_fmt, quarter) > 0);
	assert_non_null(strstr(plan, want));
	assert_non_null(strstr(plan, "\nlink k:eth1 - p:eth1\n  k:eth1 loss 5%\n  p:eth1\n  mtu 1400\n"));
	assert_non_null(strstr(plan, "\n  eth0 10.0.0.2/24 on lan (host veth "));
	assert_null(strstr(strstr(plan, "\n  eth0 10.0.0.2/24") + 1, "\n  eth0 10.0.0.2/24"));
}

/* The one project-name rule (file names, `name`, and down/ps targets). */
static void test_naming_project_valid(void **state)
{
	assert_true(naming_project_valid("pair"));
	assert_true(naming_project_valid("a-b_C9"));
	assert_true(naming_project_valid("abcdefghijklmnopqrstuvwxyz012345"));	/* 32 bytes */
	assert_false(naming_project_valid("abcdefghijklmnopqrstuvwxyz0123456"));
	assert_false(naming_project_valid(""));
	assert_false(naming_project_valid("a.b"));
	assert_false(naming_project_valid("a/b"));
	assert_false(naming_project_valid("a b"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pair_networks),
		cmocka_unit_test(test_pair_containers),
		cmocka_unit_test(test_pair_interfaces),
		cmocka_unit_test(test_env_merge),
		cmocka_unit_test(test_defaults_override),
		cmocka_unit_test(test_service_model),
		cmocka_unit_test(test_name_from_file),
		cmocka_unit_test(test_two_networks),
		cmocka_unit_test(test_data_dir_relative_rootfs),
		cmocka_unit_test(test_plan),
		cmocka_unit_test(test_syntax_and_io_errors),
		cmocka_unit_test(test_unknown_keys),
		cmocka_unit_test(test_wrong_types),
		cmocka_unit_test(test_duplicate_container),
		cmocka_unit_test(test_duplicate_address),
		cmocka_unit_test(test_outside_subnet),
		cmocka_unit_test(test_reserved_addresses),
		cmocka_unit_test(test_network_errors),
		cmocka_unit_test(test_subnet_errors),
		cmocka_unit_test(test_bridge_name),
		cmocka_unit_test(test_hostname),
		cmocka_unit_test(test_rootfs),
		cmocka_unit_test(test_image),
		cmocka_unit_test(test_imageref),
		cmocka_unit_test(test_image_over_defaults),
		cmocka_unit_test(test_cpu),
		cmocka_unit_test(test_memory_units),
		cmocka_unit_test(test_memory_errors),
		cmocka_unit_test(test_pids_and_command),
		cmocka_unit_test(test_env_errors),
		cmocka_unit_test(test_fixture_errors),
		cmocka_unit_test(test_fixture_model),
		cmocka_unit_test(test_missing_sections),
		cmocka_unit_test(test_container_interfaces),
		cmocka_unit_test(test_ip_needs_one_network),
		cmocka_unit_test(test_defaults_errors),
		cmocka_unit_test(test_addr_parse),
		cmocka_unit_test(test_addr_math),
		cmocka_unit_test(test_naming_hash),
		cmocka_unit_test(test_naming_bridge),
		cmocka_unit_test(test_naming_mark_owner),
		cmocka_unit_test(test_naming_veth_and_cgroup),
		cmocka_unit_test(test_naming_project_valid),
		cmocka_unit_test(test_every_key_is_shown),
		cmocka_unit_test(test_plan_new_lines),
	};

	return cmocka_run_group_tests(tests, group_setup, group_teardown);
}

#!/usr/bin/env bash
# Starts a throwaway OpenLDAP slapd for this example, in a temporary
# directory, on ldap://127.0.0.1:${PORT:-3890}: the suffix dc=example,dc=org
# with ou=people and ou=groups, administrator cn=admin,dc=example,dc=org, password
# syncline-example. It never touches the system's slapd service.
#
#   ./start-slapd.sh          start it (in the background)
#   ./start-slapd.sh stop     stop it and remove its directory
#
# Needs Debian's slapd and ldap-utils:
#   sudo apt-get install --no-install-recommends slapd ldap-utils
set -euo pipefail

PORT="${PORT:-3890}"
DIR="${TMPDIR:-/tmp}/syncline-hr-to-ldap-slapd"
SUFFIX="dc=example,dc=org"
PASSWORD="syncline-example"
PATH="$PATH:/usr/sbin:/usr/local/sbin"

if [ "${1:-start}" = stop ]; then
  if [ -f "$DIR/slapd.pid" ]; then kill "$(cat "$DIR/slapd.pid")" 2>/dev/null || true; fi
  rm -rf "$DIR"
  echo "stopped; removed $DIR"
  exit 0
fi

for tool in slapd slapadd ldapsearch; do
  command -v "$tool" >/dev/null || { echo "$tool is missing: sudo apt-get install --no-install-recommends slapd ldap-utils" >&2; exit 1; }
done
if [ -e "$DIR" ]; then
  echo "$DIR exists: a slapd from an earlier run? Stop it first: $0 stop" >&2
  exit 1
fi
mkdir -p "$DIR/slapd.d" "$DIR/data"

slapadd -n0 -F "$DIR/slapd.d" >/dev/null <<LDIF
dn: cn=config
objectClass: olcGlobal
cn: config
olcPidFile: $DIR/slapd.pid
olcLogLevel: none

dn: cn=module{0},cn=config
objectClass: olcModuleList
cn: module{0}
olcModulePath: /usr/lib/ldap
olcModuleLoad: back_mdb

dn: cn=schema,cn=config
objectClass: olcSchemaConfig
cn: schema

include: file:///etc/ldap/schema/core.ldif

include: file:///etc/ldap/schema/cosine.ldif

include: file:///etc/ldap/schema/nis.ldif

include: file:///etc/ldap/schema/inetorgperson.ldif

dn: olcDatabase={-1}frontend,cn=config
objectClass: olcDatabaseConfig
objectClass: olcFrontendConfig
olcDatabase: {-1}frontend
olcAccess: {0}to dn.exact="" by * read
olcAccess: {1}to dn.base="cn=Subschema" by * read

dn: olcDatabase={1}mdb,cn=config
objectClass: olcDatabaseConfig
objectClass: olcMdbConfig
olcDatabase: {1}mdb
olcSuffix: $SUFFIX
olcRootDN: cn=admin,$SUFFIX
olcRootPW: $PASSWORD
olcDbDirectory: $DIR/data
olcDbIndex: objectClass,uid,entryUUID,entryCSN eq
olcAccess: {0}to attrs=userPassword by self write by anonymous auth by * none
olcAccess: {1}to * by * read
LDIF

slapadd -q -F "$DIR/slapd.d" -b "$SUFFIX" <<LDIF
dn: $SUFFIX
objectClass: dcObject
objectClass: organization
dc: example
o: Example

dn: ou=people,$SUFFIX
objectClass: organizationalUnit
ou: people

dn: ou=groups,$SUFFIX
objectClass: organizationalUnit
ou: groups
LDIF

slapd -F "$DIR/slapd.d" -h "ldap://127.0.0.1:$PORT/"
for _ in $(seq 100); do
  if ldapsearch -x -H "ldap://127.0.0.1:$PORT" -b "$SUFFIX" -s base 1.1 >/dev/null 2>&1; then
    echo "slapd listens on ldap://127.0.0.1:$PORT (data in $DIR); stop it with: $0 stop"
    exit 0
  fi
  sleep 0.1
done
echo "slapd did not start on port $PORT" >&2
exit 1

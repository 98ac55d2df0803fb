#!/usr/bin/env bash
# Makes the secured stack's TLS material and credential files in CERTS_DIR (default /certs, a volume), once: a CA for
# this stack only, a certificate for each server naming its compose host name, localhost and 127.0.0.1, and the files
# the services read. Run by docker-compose.secured.yml's certs service (any image with bash, openssl and keytool) at
# the stack's first start; later starts keep what is there. Nothing here is a secret committed to the repository: the
# keys are made on the machine, the passwords come from the environment (docker/secured/secured.env).
#   ca.crt                       the CA (PEM): PostgreSQL's sslrootcert, and what every trust store holds
#   truststore.p12               the CA for Java clients (PKCS12, TRUSTSTORE_PASSWORD)
#   kafka.keystore.p12           the broker's key and certificate (PKCS12, TRUSTSTORE_PASSWORD)
#   postgres.crt, postgres.key   PostgreSQL's certificate and key (PEM; the postgres service copies the key to a 0600
#                                file of its own)
#   registry-proxy.crt/.key      nginx's certificate and key (PEM)
#   registry.htpasswd            nginx's basic-auth users (one per component: ingest-worker, ingest-client,
#                                ingest-views, ingest-connect)
#   admin.properties             the Kafka admin's client properties (SASL_SSL, PLAIN), for kafka-init and health
# The files are world-readable so that every container's user (uid 1000, 10001, nginx, postgres) can read them: this
# is a stack for one machine; in production each service gets only its own files.
set -euo pipefail

dir="${CERTS_DIR:-/certs}"
: "${TRUSTSTORE_PASSWORD:?}" "${KAFKA_ADMIN_PASSWORD:?}"
: "${REGISTRY_WORKER_PASSWORD:?}" "${REGISTRY_CLIENT_PASSWORD:?}" "${REGISTRY_VIEWS_PASSWORD:?}"
: "${REGISTRY_CONNECT_PASSWORD:?}"

if [ -s "$dir/admin.properties" ]; then
  echo "certs: $dir already holds the stack's certificates"
  exit 0
fi
mkdir -p "$dir"
work=$(mktemp -d)
cd "$work"

openssl req -x509 -new -nodes -newkey rsa:2048 -days 825 -subj "/CN=allsource-ingest local CA" \
  -keyout ca.key -out ca.crt 2> /dev/null

# server NAME HOST...: a key and a certificate signed by the CA, naming HOST..., localhost and 127.0.0.1.
server() {
  local name=$1 san="DNS:localhost,IP:127.0.0.1" host
  shift
  for host in "$@"; do san="DNS:$host,$san"; done
  openssl req -new -nodes -newkey rsa:2048 -subj "/CN=$1" -keyout "$name.key" -out "$name.csr" 2> /dev/null
  printf 'subjectAltName=%s\nextendedKeyUsage=serverAuth\n' "$san" > "$name.ext"
  openssl x509 -req -in "$name.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -days 825 -extfile "$name.ext" \
    -out "$name.crt" 2> /dev/null
}
server kafka kafka
server postgres postgres
server registry-proxy registry-proxy

openssl pkcs12 -export -in kafka.crt -inkey kafka.key -certfile ca.crt -name kafka \
  -passout "pass:$TRUSTSTORE_PASSWORD" -out kafka.keystore.p12
keytool -importcert -noprompt -alias ca -file ca.crt -storetype PKCS12 -keystore truststore.p12 \
  -storepass "$TRUSTSTORE_PASSWORD" > /dev/null

{
  printf 'ingest-worker:%s\n' "$(openssl passwd -apr1 "$REGISTRY_WORKER_PASSWORD")"
  printf 'ingest-client:%s\n' "$(openssl passwd -apr1 "$REGISTRY_CLIENT_PASSWORD")"
  printf 'ingest-views:%s\n' "$(openssl passwd -apr1 "$REGISTRY_VIEWS_PASSWORD")"
  printf 'ingest-connect:%s\n' "$(openssl passwd -apr1 "$REGISTRY_CONNECT_PASSWORD")"
} > registry.htpasswd

cat > admin.properties <<PROPERTIES
security.protocol=SASL_SSL
sasl.mechanism=PLAIN
sasl.jaas.config=org.apache.kafka.common.security.plain.PlainLoginModule required \
  username="admin" password="$KAFKA_ADMIN_PASSWORD";
ssl.truststore.location=$dir/truststore.p12
ssl.truststore.password=$TRUSTSTORE_PASSWORD
ssl.truststore.type=PKCS12
# Generous limits: kafka-init starts many tools at once, and a busy machine slows each one's TLS handshakes.
default.api.timeout.ms=300000
request.timeout.ms=120000
PROPERTIES

cp ca.crt truststore.p12 kafka.keystore.p12 postgres.crt postgres.key registry-proxy.crt registry-proxy.key \
  registry.htpasswd "$dir/"
chmod 0644 "$dir"/*
# admin.properties last: its presence says the directory is complete.
cp admin.properties "$dir/"
chmod 0644 "$dir/admin.properties"
rm -rf "$work"
echo "certs: made the CA and the certificates of kafka, postgres and registry-proxy in $dir"

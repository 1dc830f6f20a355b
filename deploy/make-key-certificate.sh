#!/bin/sh
# Makes the certificate that encrypts KeyProjects' key ring at rest (the keys that sign sign-in cookies and tokens, kept
# in the database): a self-signed RSA certificate with its private key in a password-protected .pfx. Run it once, keep
# the file and its password as you keep the database password (a backup of both), and give every web host the same
# file (KeyProjects__DataProtection__Certificate) and password (KeyProjects__DataProtection__CertificatePassword).
# The file is readable by its owner only: name the account the web host runs as in KP_KEY_CERT_OWNER (run as root),
#   plain servers:  KP_KEY_CERT_OWNER=keyprojects KP_KEY_CERT_PASSWORD=… deploy/make-key-certificate.sh /etc/keyprojects/keyprojects-keys.pfx
#   compose:        KP_KEY_CERT_OWNER=1654 KP_KEY_CERT_PASSWORD=… deploy/make-key-certificate.sh deploy/secrets/keyprojects-keys.pfx
#                   (1654: the user the .NET images run as)
set -eu
out=${1:-keyprojects-keys.pfx}
: "${KP_KEY_CERT_PASSWORD:?set KP_KEY_CERT_PASSWORD to the password the .pfx gets}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
umask 077
openssl req -x509 -newkey rsa:3072 -sha256 -days 3650 -nodes -subj "/CN=KeyProjects data protection" \
    -keyout "$work/key.pem" -out "$work/certificate.pem" 2>/dev/null
mkdir -p "$(dirname "$out")"
openssl pkcs12 -export -inkey "$work/key.pem" -in "$work/certificate.pem" -out "$out" -passout env:KP_KEY_CERT_PASSWORD
chmod 0400 "$out"
if [ -n "${KP_KEY_CERT_OWNER:-}" ]; then chown "$KP_KEY_CERT_OWNER" "$out"; fi
echo "wrote $out (owner $(stat -c %U "$out"), mode 0400)"

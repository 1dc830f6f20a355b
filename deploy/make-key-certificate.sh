#!/bin/sh
# Makes the certificate that encrypts KeyProjects' key ring at rest (the keys that sign sign-in cookies and tokens, kept
# in the database): a self-signed RSA certificate with its private key in a password-protected .pfx. Run it once, keep
# the file and its password as you keep the database password (a backup of both), and give every web host the same
# file (KeyProjects__DataProtection__Certificate) and password (KeyProjects__DataProtection__CertificatePassword).
#   KP_KEY_CERT_PASSWORD=… deploy/make-key-certificate.sh deploy/secrets/keyprojects-keys.pfx
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
echo "wrote $out"

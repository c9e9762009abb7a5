/** VERIFY.txt: how to check a packet with sha256sum and openssl alone. */
export function verifyInstructions(fingerprint: string): string {
  return `How to verify this evidence packet without Dozor
==================================================

This folder is a BagIt bag (RFC 8493). Unzip the packet, open a terminal in the folder that holds
this file (the ZIP unpacks into dozor-<packet id>/: cd into it first) and run:

1. Every evidence file is unchanged (each line must say OK):

   sha256sum -c manifest-sha256.txt

2. The bag's description files are unchanged:

   sha256sum -c tagmanifest-sha256.txt

3. The tag manifest was signed by the key below (must print "Signature Verified Successfully"):

   openssl pkeyutl -verify -pubin -inkey signer.pub.pem -rawin -in tagmanifest-sha256.txt -sigfile tagmanifest-sha256.txt.sig

4. The signing key is the one you expect: compare this fingerprint with the one the sender gave
   you through another channel:

   openssl pkey -pubin -in signer.pub.pem -outform DER | sha256sum

   expected: ${fingerprint}

With Dozor installed, \`dozor verify PACKET.zip\` runs all of these checks and also re-checks the
custody chain in data/custody.jsonl.
`;
}

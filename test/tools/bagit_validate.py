#!/usr/bin/env python3
"""An independent BagIt (RFC 8493) validator, written from the RFC rather than from Dozor's
exporter, so tests can check packets against the spec. Usage: bagit_validate.py BAG_DIR.
Prints each violation and exits 1, or prints "valid" and exits 0."""
import hashlib
import os
import re
import sys

ALGS = {"md5", "sha1", "sha256", "sha512"}


def decode_path(p):
    # RFC 8493 2.1.3: CR, LF and % in file paths are percent-encoded in manifests.
    return p.replace("%0D", "\r").replace("%0A", "\n").replace("%25", "%")


def digest(alg, path):
    h = hashlib.new(alg)
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def read_manifest(bag, name, errors):
    entries = {}
    with open(os.path.join(bag, name), "rb") as f:
        for n, raw in enumerate(f.read().decode("utf-8").splitlines(), 1):
            if not raw.strip():
                continue
            m = re.match(r"^([0-9a-fA-F]+)[ \t]+\*?(.+)$", raw)
            if not m:
                errors.append(f"{name}:{n}: not '<checksum> <path>'")
                continue
            path = decode_path(m.group(2))
            if path.startswith("/") or ".." in path.split("/") or "\\" in path:
                errors.append(f"{name}:{n}: path escapes the bag: {path}")
                continue
            entries[path] = m.group(1).lower()
    return entries


def files_under(root, rel):
    out = []
    for dirpath, _dirs, names in os.walk(os.path.join(root, rel)):
        for name in names:
            out.append(os.path.relpath(os.path.join(dirpath, name), root).replace(os.sep, "/"))
    return out


def validate(bag):
    errors = []
    decl = os.path.join(bag, "bagit.txt")
    if not os.path.isfile(decl):
        return ["bagit.txt is missing"]
    lines = open(decl, "rb").read().decode("utf-8").splitlines()
    if len(lines) != 2 or not re.match(r"^BagIt-Version: \d+\.\d+$", lines[0]) \
            or lines[1] != "Tag-File-Character-Encoding: UTF-8":
        errors.append("bagit.txt: must be exactly the BagIt-Version and Tag-File-Character-Encoding lines")
    if not os.path.isdir(os.path.join(bag, "data")):
        errors.append("the payload directory data/ is missing")
    names = os.listdir(bag)
    payload_manifests = [n for n in names if re.match(r"^manifest-(\w+)\.txt$", n)]
    tag_manifests = [n for n in names if re.match(r"^tagmanifest-(\w+)\.txt$", n)]
    if not payload_manifests:
        errors.append("no payload manifest (manifest-<alg>.txt)")
    payload = set(files_under(bag, "data"))
    for name in payload_manifests:
        alg = re.match(r"^manifest-(\w+)\.txt$", name).group(1)
        if alg not in ALGS:
            errors.append(f"{name}: unknown algorithm {alg}")
            continue
        entries = read_manifest(bag, name, errors)
        for path, value in entries.items():
            if not path.startswith("data/"):
                errors.append(f"{name}: lists a file outside data/: {path}")
            elif not os.path.isfile(os.path.join(bag, path)):
                errors.append(f"{name}: lists a missing file: {path}")
            elif digest(alg, os.path.join(bag, path)) != value:
                errors.append(f"{name}: checksum mismatch: {path}")
        for path in sorted(payload - set(entries)):
            errors.append(f"{name}: payload file not listed: {path}")
    for name in tag_manifests:
        alg = re.match(r"^tagmanifest-(\w+)\.txt$", name).group(1)
        for path, value in read_manifest(bag, name, errors).items():
            if path.startswith("data/") or path == name:
                errors.append(f"{name}: must list tag files only, not {path}")
            elif not os.path.isfile(os.path.join(bag, path)):
                errors.append(f"{name}: lists a missing tag file: {path}")
            elif digest(alg, os.path.join(bag, path)) != value:
                errors.append(f"{name}: checksum mismatch: {path}")
    info = os.path.join(bag, "bag-info.txt")
    if os.path.isfile(info):
        fields = {}
        for n, line in enumerate(open(info, "rb").read().decode("utf-8").splitlines(), 1):
            if line[:1] in (" ", "\t"):
                continue  # continuation of the previous value
            m = re.match(r"^([^:\s][^:]*):\s?(.*)$", line)
            if not m:
                errors.append(f"bag-info.txt:{n}: not 'Label: value'")
            else:
                fields[m.group(1)] = m.group(2)
        oxum = fields.get("Payload-Oxum")
        if oxum:
            octets = sum(os.path.getsize(os.path.join(bag, p)) for p in payload)
            if oxum != f"{octets}.{len(payload)}":
                errors.append(f"bag-info.txt: Payload-Oxum {oxum} but the payload is {octets}.{len(payload)}")
    return errors


if __name__ == "__main__":
    problems = validate(sys.argv[1])
    for p in problems:
        print(p)
    print("valid" if not problems else f"invalid: {len(problems)} problem(s)")
    sys.exit(1 if problems else 0)

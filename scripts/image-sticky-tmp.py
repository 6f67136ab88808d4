#!/usr/bin/env python3
"""Adds a last layer to a Docker-archive image tar (as Jib writes it) that makes /tmp mode 1777, sticky as on any
Linux system: Jib's permissions take three octal digits only. Updates the config's diff_ids and history and the
manifest, so that "docker load" and "podman load" verify every digest. Usage: image-sticky-tmp.py IMAGE.tar"""
import gzip
import hashlib
import io
import json
import sys
import tarfile


def member(archive, name):
    return archive.extractfile(archive.getmember(name)).read()


def main(path):
    with tarfile.open(path) as archive:
        entries = {m.name: member(archive, m.name) for m in archive.getmembers() if m.isfile()}
    manifest = json.loads(entries["manifest.json"])
    config_name = manifest[0]["Config"]
    config = json.loads(entries[config_name])

    layer = io.BytesIO()
    with tarfile.open(fileobj=layer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        tmp = tarfile.TarInfo("tmp/")
        tmp.type, tmp.mode, tmp.uid, tmp.gid, tmp.mtime = tarfile.DIRTYPE, 0o1777, 0, 0, 1
        tar.addfile(tmp)
    uncompressed = layer.getvalue()
    compressed = gzip.compress(uncompressed, mtime=0)
    layer_name = hashlib.sha256(compressed).hexdigest() + ".tar.gz"

    config["rootfs"]["diff_ids"].append("sha256:" + hashlib.sha256(uncompressed).hexdigest())
    config.setdefault("history", []).append({"created": "1970-01-01T00:00:01Z", "created_by": "image-sticky-tmp.py",
                                             "comment": "/tmp with the sticky bit"})
    config_bytes = json.dumps(config, separators=(",", ":")).encode()
    new_config_name = hashlib.sha256(config_bytes).hexdigest() + ".json"
    manifest[0]["Config"] = new_config_name
    manifest[0]["Layers"].append(layer_name)

    del entries[config_name]
    entries[new_config_name] = config_bytes
    entries[layer_name] = compressed
    entries["manifest.json"] = json.dumps(manifest, separators=(",", ":")).encode()
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as out:
        for name, data in entries.items():
            info = tarfile.TarInfo(name)
            info.size, info.mode, info.mtime = len(data), 0o644, 1
            out.addfile(info, io.BytesIO(data))


if __name__ == "__main__":
    main(sys.argv[1])

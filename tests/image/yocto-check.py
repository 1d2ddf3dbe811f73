#!/usr/bin/env python3
"""image: yocto — static checks of image/yocto/meta-uketsuke without bitbake.

    tests/image/yocto-check.py SOURCE_DIR

What yocto-check-layer and oelint would look at first, as far as it can be checked without
bitbake (not packaged in Debian 12): layer.conf's collection, priority, dependencies and
scarthgap compatibility; in every recipe SUMMARY and LICENSE, LIC_FILES_CHKSUM unless CLOSED,
no pre-honister override syntax (RDEPENDS_${PN}, do_install_append), every file:// in
SRC_URI present, every SYSTEMD_SERVICE unit in the layer or in packaging/systemd/; the layer's
copies of the Debian image's settings identical to image/debian/overlay/; a README that says
where patches go, with an e-mail address; the kas file (format 12, scarthgap) valid against
kas's own schema when kas is installed.
"""
import pathlib
import re
import sys

src = pathlib.Path(sys.argv[1])
layer = src / "image/yocto/meta-uketsuke"
errors = []


def check(cond, message):
    if not cond:
        errors.append(message)


def variables(text):
    """NAME -> value of simple assignments (continued lines joined, last one wins)."""
    text = text.replace("\\\n", " ")
    out = {}
    for m in re.finditer(r'^([A-Za-z_][\w:${}.-]*)\s*(\?\?=|\?=|\+=|=\+|\.=|=\.|:=|=)\s*"(.*)"\s*$',
                         text, re.M):
        out[m.group(1)] = (out.get(m.group(1), "") + " " + m.group(3)).strip() \
            if m.group(2) in ("+=", ".=") else m.group(3)
    return out


conf = (layer / "conf/layer.conf").read_text()
v = variables(conf)
check("uketsuke" in v.get("BBFILE_COLLECTIONS", ""), "layer.conf: BBFILE_COLLECTIONS lacks uketsuke")
check(v.get("BBFILE_PATTERN_uketsuke") == "^${LAYERDIR}/", "layer.conf: BBFILE_PATTERN_uketsuke")
check(v.get("BBFILE_PRIORITY_uketsuke", "").isdigit(), "layer.conf: BBFILE_PRIORITY_uketsuke")
check("scarthgap" in v.get("LAYERSERIES_COMPAT_uketsuke", "").split(),
      "layer.conf: LAYERSERIES_COMPAT_uketsuke lacks scarthgap")
check("core" in v.get("LAYERDEPENDS_uketsuke", "").split(), "layer.conf: LAYERDEPENDS_uketsuke")
check("recipes-*/*/*.bb" in v.get("BBFILES", ""), "layer.conf: BBFILES")

recipes = sorted(layer.glob("recipes-*/*/*.bb"))
check(len(recipes) >= 4, f"expected the program, imgui, packagegroup and image recipes: {recipes}")
kinds = {str(r.relative_to(layer)) for r in recipes}
check(any(k.startswith("recipes-core/images/") for k in kinds), "no image recipe")
check(any("packagegroup" in k for k in kinds), "no packagegroup")
old = re.compile(r"^\s*[A-Za-z_][\w-]*(_append|_prepend|_remove|_\$\{PN\}[\w-]*)(?!\w)", re.M)
for recipe in recipes:
    name = recipe.relative_to(layer)
    text = recipe.read_text()
    v = variables(text)
    check("SUMMARY" in v, f"{name}: no SUMMARY")
    check("LICENSE" in v, f"{name}: no LICENSE")
    if v.get("LICENSE") != "CLOSED":
        check(re.search(r"md5=[0-9a-f]{32}", v.get("LIC_FILES_CHKSUM", "")),
              f"{name}: LICENSE {v.get('LICENSE')} without LIC_FILES_CHKSUM")
    bad = old.search(text)
    check(bad is None, f"{name}: old override syntax {bad.group(0).strip() if bad else ''}")
    check("\t" not in text, f"{name}: tab characters")
    for f in re.findall(r"file://([^\s;\"]+)", v.get("SRC_URI", "")):
        check((recipe.parent / "files" / f).exists() or (recipe.parent / recipe.stem / f).exists(),
              f"{name}: SRC_URI file://{f} missing")
    for key, value in v.items():
        if key.startswith("SYSTEMD_SERVICE"):
            for unit in value.split():
                check(any(layer.rglob(unit)) or (src / "packaging/systemd" / unit).exists(),
                      f"{name}: {key} names {unit}, which is nowhere")
program = (layer / "recipes-uketsuke/uketsuke/uketsuke_git.bb").read_text()
inherits = " ".join(re.findall(r"^inherit (.*)$", program, re.M)).split()
for cls in ("cmake", "systemd", "useradd"):
    check(cls in inherits, f"uketsuke_git.bb does not inherit {cls}")

copies = {
    "recipes-uketsuke/uketsuke-image/files/uketsuke-nfc.conf": "etc/modprobe.d/uketsuke-nfc.conf",
    "recipes-uketsuke/uketsuke-image/files/logind-uketsuke.conf": "etc/systemd/logind.conf.d/uketsuke.conf",
    "recipes-uketsuke/uketsuke-image/files/journald-uketsuke-image.conf":
        "etc/systemd/journald.conf.d/50-uketsuke-image.conf",
}
for mine, debian in copies.items():
    check((layer / mine).read_bytes() == (src / "image/debian/overlay" / debian).read_bytes(),
          f"{mine} differs from image/debian/overlay/{debian}")

readme = (layer / "README.md").read_text()
check(len(readme.strip()) > 200, "README too short")
check("patch" in readme.lower(), "README does not say where patches go")
check(re.search(r"[\w.-]+@[\w-]+\.[\w.]+", readme), "README has no e-mail address")

kas_file = src / "image/yocto/kas/uketsuke.yml"
try:
    import yaml
    kas = yaml.safe_load(kas_file.read_text())
    check(kas["header"]["version"] == 12, "kas: header version is not 12")
    for repo in ("poky", "meta-openembedded"):
        check(kas["repos"][repo].get("refspec") == "scarthgap", f"kas: {repo} not on scarthgap")
    check(kas.get("target") == "uketsuke-image", "kas: target is not uketsuke-image")
    check("image/yocto/meta-uketsuke" in kas["repos"]["uketsuke"]["layers"], "kas: layer path")
    check((src / "image/yocto/meta-uketsuke/conf/layer.conf").exists(), "kas: layer missing")
    try:
        import jsonschema
        from kas import CONFIGSCHEMA
        jsonschema.validate(kas, CONFIGSCHEMA)
        print("kas schema: valid")
    except ImportError:
        print("kas schema: skipped (kas not installed)")
except ImportError:
    print("kas: skipped (no python3-yaml)")

for e in errors:
    print("FAIL:", e)
print(f"yocto layer: {len(recipes)} recipes, {len(errors)} problems")
sys.exit(1 if errors else 0)

"""Checks what each package in artifacts/packages carries; run by .ci/consumer.sh before the consumer restores them.

One package (and one .snupkg) per src/*/*.csproj, all of one version; each with its README, the LICENSE, the MIT
license expression, the commit it was built from, its assembly and XML docs (the tool: its assemblies under tools/);
the src/Shared sources its project links compiled into its assembly; every embedded Install.sql byte for byte; no
dependency on a test, benchmark or analyzer package, and RootCx.* dependencies only on packages packed here.
Prints one line per problem and exits 1, or exits 0.
"""
import pathlib
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile

root = pathlib.Path(sys.argv[1]).resolve()
folder = root / "artifacts" / "packages"
problems = []

# Dependencies a shipped package must never carry: test frameworks and their adapters, test doubles, benchmarks,
# analyzers (PublicApiAnalyzers is PrivateAssets), browser drivers.
FORBIDDEN = re.compile(r"^(NUnit.*|Microsoft\.NET\.Test\.Sdk|Microsoft\.TestPlatform.*|.*\.Testing|BenchmarkDotNet.*|"
                       r"Microsoft\.CodeAnalysis.*|Microsoft\.Playwright|RootCx\.Vault\.(Tests|Testing|StoreWorker).*)$", re.I)
TEST_FILES = re.compile(r"(nunit|testhost|Microsoft\.TestPlatform|Microsoft\.VisualStudio\.TestPlatform|Playwright)", re.I)


def problem(package, text):
    problems.append(f"{package}: {text}")


def nuspec_metadata(archive):
    (name,) = [n for n in archive.namelist() if n.endswith(".nuspec") and "/" not in n]
    element = ET.fromstring(archive.read(name))
    namespace = element.tag.split("}")[0] + "}"
    return element.find(f"{namespace}metadata"), namespace


def linked_shared_types(csproj):
    """Types under src/Shared that the project compiles in through <Compile Include=…>: one per file, named by the file
    (a partial type's other files, such as SqlSecretStoreCore.Import.cs, name it before their first dot)."""
    types = []
    for compile_item in ET.parse(csproj).iter("Compile"):
        include = compile_item.get("Include", "")
        if "Shared" in include:
            types += [p.name.split(".")[0] for p in sorted(csproj.parent.glob(include))]
    return list(dict.fromkeys(types))


projects = {p.stem: p for p in sorted((root / "src").glob("*/*.csproj"))}
found = {p.name for p in folder.glob("*.nupkg")}
versions = {}
for package_id in projects:
    matches = [n for n in found if re.fullmatch(re.escape(package_id) + r"\.\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?\.nupkg", n)]
    if len(matches) != 1:
        problem(package_id, f"expected one .nupkg in artifacts/packages, found {matches or 'none'}")
        continue
    versions[package_id] = matches[0][len(package_id) + 1:-len(".nupkg")]
if len(set(versions.values())) > 1:
    problems.append(f"the packages do not share one version: {versions}")
unexpected = found - {f"{p}.{v}.nupkg" for p, v in versions.items()}
if unexpected:
    problems.append(f"unexpected packages in artifacts/packages: {sorted(unexpected)}")

head = subprocess.run(["git", "-C", str(root), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
license_text = (root / "LICENSE").read_bytes()

for package_id, version in versions.items():
    csproj = projects[package_id]
    with zipfile.ZipFile(folder / f"{package_id}.{version}.nupkg") as archive:
        names = set(archive.namelist())
        metadata, ns = nuspec_metadata(archive)
        text = lambda tag: (metadata.findtext(f"{ns}{tag}") or "").strip()

        license_element = metadata.find(f"{ns}license")
        if license_element is None or license_element.get("type") != "expression" or license_element.text != "MIT":
            problem(package_id, "the license is not the expression MIT")
        if "LICENSE" not in names or archive.read("LICENSE") != license_text:
            problem(package_id, "LICENSE missing or not the repository's")
        if text("readme") != "README.md" or "README.md" not in names or not archive.read("README.md").strip():
            problem(package_id, "README.md missing, empty or not declared as the readme")
        if archive.read("README.md") != (csproj.parent / "README.md").read_bytes():
            problem(package_id, "README.md is not the project's own")
        if not text("description"):
            problem(package_id, "no description")
        repository = metadata.find(f"{ns}repository")
        if repository is None or (head and repository.get("commit") != head):
            problem(package_id, f"the repository element does not name the commit built ({head})")

        is_tool = metadata.find(f"{ns}packageTypes/{ns}packageType[@name='DotnetTool']") is not None
        folder_in_package = "tools/net10.0/any" if is_tool else "lib/net10.0"
        assembly = f"{folder_in_package}/{package_id}.dll"
        if assembly not in names:
            problem(package_id, f"{assembly} missing")
            continue
        if not is_tool and f"{folder_in_package}/{package_id}.xml" not in names:
            problem(package_id, "XML documentation missing")
        if is_tool and f"{folder_in_package}/DotnetToolSettings.xml" not in names:
            problem(package_id, "DotnetToolSettings.xml missing")
        for name in names:
            if TEST_FILES.search(name):
                problem(package_id, f"carries a test file: {name}")

        # Type names sit NUL-terminated in the assembly's #Strings heap.
        image = archive.read(assembly)
        for type_name in linked_shared_types(csproj):
            if b"\0" + type_name.encode() not in image:
                problem(package_id, f"the linked shared source {type_name} is not compiled in")
        for resource in ET.parse(csproj).iter("EmbeddedResource"):
            script = (csproj.parent / resource.get("Include")).read_bytes()
            logical = resource.get("LogicalName", "").encode()
            if script not in image or (logical and logical not in image):
                problem(package_id, f"{resource.get('Include')} is not embedded as {logical.decode()}")

        for dependency in metadata.iter(f"{ns}dependency"):
            dependency_id, dependency_version = dependency.get("id"), dependency.get("version")
            if FORBIDDEN.match(dependency_id):
                problem(package_id, f"depends on {dependency_id}, a test, benchmark or analyzer package")
            if dependency_id.startswith("RootCx.") and (dependency_id not in versions or dependency_version != version):
                problem(package_id, f"depends on {dependency_id} {dependency_version}, not a package packed here at {version}")

    symbols = folder / f"{package_id}.{version}.snupkg"
    if not symbols.exists():
        problem(package_id, "no .snupkg")
    else:
        with zipfile.ZipFile(symbols) as archive:
            if f"{folder_in_package}/{package_id}.pdb" not in archive.namelist():
                problem(package_id, f"the .snupkg has no {folder_in_package}/{package_id}.pdb")

for line in problems:
    print(f"packages: {line}")
sys.exit(1 if problems else 0)

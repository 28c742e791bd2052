# The serial-console boot checker, built from checkers/ with its own tests.
# The real-QEMU tests skip themselves in the build sandbox (no QEMU, no
# kernel); the saved-log and fake-console tests run.
{
  lib,
  rustPlatform,
  python3,
}: let
  src = ../../checkers;
in
  rustPlatform.buildRustPackage {
    pname = "bootcheck";
    version = (lib.importTOML (src + "/Cargo.toml")).workspace.package.version;

    src = lib.fileset.toSource {
      root = src;
      fileset = lib.fileset.unions [
        (src + "/Cargo.toml")
        (src + "/Cargo.lock")
        (src + "/bootcheck")
        (src + "/bench")
      ];
    };
    cargoLock.lockFile = src + "/Cargo.lock";

    cargoBuildFlags = ["--package" "bootcheck"];
    cargoTestFlags = ["--package" "bootcheck"];
    # The unix-socket console test fakes a VM with a small Python script.
    nativeCheckInputs = [python3];

    meta = {
      description = "Boot a VM, judge its serial console, run probes, write JSON/JUnit reports";
      homepage = "https://github.com/nixos-rs/nixos-rs";
      license = lib.licenses.mit;
      mainProgram = "bootcheck";
      platforms = lib.platforms.linux;
    };
  }

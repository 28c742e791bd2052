# The serial-console boot checker, built from the workspace's
# checkers/bootcheck with its own tests. The real-QEMU tests skip themselves
# in the build sandbox (no QEMU, no kernel); the saved-log, corpus and
# fake-console tests run.
{
  lib,
  rustPlatform,
  python3,
}: let
  ws = import ../workspace.nix {inherit lib;};
  dir = "checkers/bootcheck";
in
  rustPlatform.buildRustPackage {
    pname = "bootcheck";
    inherit (ws) version;

    src = ws.src dir [];
    cargoLock.lockFile = ws.cargoLock;
    postPatch = ws.stubOthers [dir];

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

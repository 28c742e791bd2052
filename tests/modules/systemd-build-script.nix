# What tests/modules/systemd-build-script runs: lib.mkSystemdOverlay's build
# script and the udev rules override's, for fake packages that are
# directories under `root`, and the systemd probes with the store paths to
# try them on.
# Result: { scripts = { <case> = "<script>"; }; argv0 = { <case> = "<argv0>"; };
#           probes = { <config> = { paths; probes = [ { name; command; expect; } ]; }; }; }
{
  lib,
  root,
}: let
  dir = pname: version: sub: {
    type = "derivation";
    name = "${pname}-${version}";
    inherit pname version;
    outPath = "${root}/${sub}";
    outputs = ["out"];
    meta = {};
  };
  flags = {
    interfaceVersion = 2;
    withTimedated = true;
  };
  systemd = dir "systemd" "258.2" "systemd" // flags // {passthru = flags;};
  # runCommand's build script, with $out set by the runner; the rest of the
  # attributes as mkDerivation would keep them.
  runCommand = name: attrs: script:
    {
      type = "derivation";
      inherit name;
      outPath = "${root}/out-${name}";
      outputs = ["out"];
      buildScript = script;
    }
    // removeAttrs attrs ["passthru"]
    // attrs.passthru or {};
  pkgs = {
    inherit lib runCommand systemd;
    makeBinaryWrapper = dir "make-binary-wrapper-hook" "1" "none";
    file = dir "file" "5.46" "none";
  };
  nrsLib = import ../../lib {inherit lib;};
  overlay = rust: args: nrsLib.mkSystemdOverlay ({inherit pkgs rust;} // args);
  cases = {
    overlay-rust-systemd = overlay (dir "rust-systemd" "unstable" "rust") {};
    overlay-systemd-rs = overlay (dir "systemd-rs" "unstable" "rust") {};
    overlay-other = overlay (dir "my-systemd" "0.1.0" "rust") {};
    overlay-argv0-with-space = overlay (dir "rust-systemd" "unstable" "rust") {argv0 = "rust systemd";};
    overlay-no-pid1 = overlay (dir "rust-systemd" "unstable" "rust") {pid1 = "bin/nope";};
  };

  evalWith = package: extra:
    (lib.evalModules {
      modules = [
        ./stubs.nix
        ../../modules/oxidized
        {
          _module.args.pkgs = pkgs // {initrd = dir "initrd" "1" "none";};
          oxidized.systemd = {
            enable = true;
            inherit package;
          };
          services.resolved.enable = true;
          systemd.network.enable = true;
        }
        extra
      ];
    })
    .config;
  # The built overlay of the first case, as the module's package.
  built =
    dir "rust-systemd-over-systemd" "258.2" "out-overlay-rust-systemd"
    // flags
    // {
      withNspawn = true;
      withRepart = true;
    };
  udevScript = (lib.head (evalWith built {}).services.udev.packages).buildScript;

  # Store paths as the guest would have them, for the probes.
  store = name: "/nix/store/${builtins.substring 0 32 (builtins.hashString "sha256" name)}-${name}";
  rustPath = store "rust-systemd-unstable";
  cPath = store "systemd-258.2";
  daemons = ["systemd-journald" "systemd-resolved" "systemd-networkd"];
  probeConfig = package: pid1: daemonDir: {
    paths = {inherit pid1;} // lib.genAttrs daemons (d: "${daemonDir}/${d}");
    probes = map (p: {inherit (p) name command expect;}) (evalWith package {}).oxidized.probes;
  };
  asPackage = name: extra:
    {
      type = "derivation";
      inherit name;
      outPath = store name;
      outputs = ["out"];
      meta = {};
      withNspawn = true;
      withRepart = true;
    }
    // flags
    // extra;
in {
  scripts = lib.mapAttrs (_: d: d.buildScript) cases // {udev-override = udevScript;};
  argv0 = lib.mapAttrs (_: d: d.argv0) cases;
  probes = {
    # mkSystemdOverlay: the package knows its Rust systemd (passthru.rust).
    overlay = probeConfig (asPackage "rust-systemd-over-systemd-258.2" {
      rust = {
        type = "derivation";
        name = "rust-systemd-unstable";
        outPath = rustPath;
      };
    }) "${rustPath}/bin/systemd" "${rustPath}/bin";
    # The monorepo's own layout package: binaries are copies inside it, only
    # PID 1 runs from the Rust package.
    own = probeConfig (asPackage "rust-systemd-systemd-unstable" {}) "${rustPath}/bin/systemd" "${store "rust-systemd-systemd-unstable"}/lib/systemd";
  };
  # The same processes under the C systemd.
  c = {pid1 = "${cPath}/lib/systemd/systemd";} // lib.genAttrs daemons (d: "${cPath}/lib/systemd/${d}");
}

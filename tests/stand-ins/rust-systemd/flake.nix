# A stand-in for the noverby/noverby monorepo flake, with the shape of the
# outputs templates/systemd-rs uses (as at commit 5735ffb2, built by
# flakelight): overlays.default adds rust-systemd and rust-systemd-systemd
# to the pkgs it is applied to, and packages.<system> holds both. Nothing
# here builds a Rust systemd: the derivations only have to evaluate, so the
# whole-flake evaluation can run the template with
#   --override-input noverby path:./tests/stand-ins/rust-systemd
# No inputs: the template's `noverby.inputs.nixpkgs.follows` then only
# draws a warning.
{
  description = "Stand-in for the flake that publishes rust-systemd (evaluation only)";

  outputs = _: let
    systems = ["x86_64-linux" "aarch64-linux"];
    # A derivation that fails if built, with mkDerivation's overrideAttrs
    # and passthru on the result.
    mk = system: attrs: let
      passthru = attrs.passthru or {};
      drv = derivation ({
          inherit system;
          builder = "/bin/sh";
          args = ["-c" "echo stand-in: not buildable >&2; exit 1"];
        }
        // removeAttrs attrs ["passthru" "meta"]);
    in
      drv
      // passthru
      // {
        inherit passthru;
        meta = attrs.meta or {};
        overrideAttrs = f: mk system (attrs // f attrs);
      };
    packagesFor = system: pkgs: rec {
      # rust/systemd/default.nix: buildRustPackage, pname rust-systemd,
      # version unstable, meta.mainProgram systemd.
      rust-systemd = mk system {
        name = "rust-systemd-unstable";
        pname = "rust-systemd";
        version = "unstable";
        meta = {
          mainProgram = "systemd";
          license = [];
        };
      };
      # The layout package: runCommand "rust-systemd-systemd-${version}" over
      # pkgs.systemd, with its fixed passthru.
      rust-systemd-systemd = mk system {
        name = "rust-systemd-systemd-unstable";
        systemd = pkgs.systemd or "";
        rust = rust-systemd;
        passthru = {
          interfaceVersion = 2;
          withBootloader = false;
          withCryptsetup = false;
          withEfi = false;
          withFido2 = false;
          withHostnamed = true;
          withImportd = false;
          withKmod = false;
          withLocaled = true;
          withMachined = true;
          withNetworkd = true;
          withHomed = true;
          withPortabled = true;
          withSysupdate = false;
          withTimedated = true;
          withTpm2Tss = false;
          withTpm2Units = false;
          withUtmp = false;
        };
        meta.mainProgram = "systemd";
      };
    };
  in {
    overlays.default = final: _prev: packagesFor (final.stdenv.hostPlatform.system or final.system) final;
    packages = builtins.listToAttrs (map (system: {
        name = system;
        value = packagesFor system {};
      })
      systems);
  };
}

# Boot checks: the baseline, the oxidized system, and one configuration per
# component so that a failure names the guilty component.
{
  pkgs,
  self,
  mkHost,
  lib,
}: let
  system = pkgs.stdenv.hostPlatform.system;
  suffix = (import ../lib/vm.nix {inherit lib;}).hostSuffix system;
  boot = nixosConfiguration:
    self.lib.mkBootCheck {
      inherit nixosConfiguration;
      inherit (nixosConfiguration) pkgs;
    };
  # Components whose module works with its default package (systemd needs
  # a package from the user, see modules/oxidized/systemd.nix).
  components = ["sudo" "ntp" "coreutils" "shell" "findutils" "diffutils" "boot"];
  componentHost = c:
    mkHost system [
      {
        networking.hostName = "nixos-rs-${c}";
        oxidized.${c}.enable = true;
      }
    ];
in
  {
    boot-nixos-nix = boot self.nixosConfigurations."nixos-nix${suffix}";
    boot-nixos-rs = boot self.nixosConfigurations."nixos-rs${suffix}";
  }
  // lib.listToAttrs (map (c: lib.nameValuePair "boot-component-${c}" (boot (componentHost c))) components)

# The boot checks of this flake: the baseline, the oxidized system, and one
# configuration per component of modules/oxidized/components.nix (those
# this flake can boot alone), so that a failure names the guilty component.
#
# `checks` holds those that evaluate without import-from-derivation;
# `closureChecks` those whose configuration swaps packages closure-wide with
# system.replaceDependencies, which reads the system's closure while
# evaluating (pkgs/build-support/replace-dependencies.nix): they need
# import-from-derivation, which `nix flake check --no-build` and Hydra turn
# off, and a builder of their system at evaluation time. They live in
# legacyPackages.<system>.closureChecks, which `nix flake check` does not
# evaluate; build one by name:
#   nix build -L .#closureChecks.boot-component-coreutils
{
  pkgs,
  self,
  mkHost,
  lib,
}: let
  system = pkgs.stdenv.hostPlatform.system;
  suffix = (import ./vm.nix {inherit lib;}).hostSuffix system;
  boot = nixosConfiguration: self.lib.mkBootCheck {inherit nixosConfiguration;};
  componentHost = c:
    mkHost system [
      {
        networking.hostName = "nixos-rs-${c}";
        oxidized.${c}.enable = true;
        # Test machines: the warnings are known.
        oxidized.acknowledge = ["boot-settings" "shell-activation-under-brush"];
      }
    ];
  components = lib.filter (c: c.bootCheck) (import ../modules/oxidized/components.nix);
  byComponent = lib.listToAttrs (map (c: lib.nameValuePair "boot-component-${c.name}" (componentHost c.name)) components);
  needsIFD = host: host.config.system.replaceDependencies.replacements != [];
in {
  checks =
    {
      boot-nixos-nix = boot self.nixosConfigurations."nixos-nix${suffix}";
      boot-nixos-rs = boot self.nixosConfigurations."nixos-rs${suffix}";
    }
    // lib.mapAttrs (_: boot) (lib.filterAttrs (_: h: !needsIFD h) byComponent);
  closureChecks = lib.mapAttrs (_: boot) (lib.filterAttrs (_: needsIFD) byComponent);
}

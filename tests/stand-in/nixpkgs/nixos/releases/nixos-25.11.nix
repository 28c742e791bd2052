# NixOS 25.11 (the release of 2025-11): the oldest nixpkgs nixos-rs supports.
# Everything the pin has that 25.11 has not, and the package versions of
# nixos-25.11 that nixos-rs' command lists and probes depend on.
{lib, ...}: {
  imports = [
    ../overrides/no-su-package.nix
    ../overrides/qemu-vm-post-boot.nix
    ../overrides/scripted-stage-1.nix
  ];
  system.nixos.release = lib.mkForce "25.11";
  nixpkgs.overlays = [
    (_: prev: let
      inherit (prev.standIn) pkg;
      # GNU coreutils 9.8 still builds chcon, runcon, kill and uptime.
      gnu = prev.standIn.gnuCoreutils ++ ["chcon" "runcon" "kill" "uptime"];
    in {
      coreutils = pkg "coreutils" "9.8" {bins = gnu;};
      coreutils-full = pkg "coreutils-full" "9.8" {bins = gnu;};
      # Before 0.3.0 uutils installed hashsum, not b2sum, md5sum, sha*sum
      # (uutils PR #8647).
      uutils-coreutils-noprefix = pkg "uutils-coreutils" "0.2.2" {
        bins = ["coreutils"];
        links = lib.genAttrs (map (c: "bin/${c}") (lib.subtractLists ["b2sum" "md5sum" "sha1sum" "sha224sum" "sha256sum" "sha384sum" "sha512sum"] prev.standIn.uutilsCoreutils ++ ["hashsum"])) (_: "coreutils");
      };
      uutils-findutils = pkg "uutils-findutils" "0.8.0" {
        bins = ["find" "xargs"];
        meta.mainProgram = "find";
      };
      # Before 0.5.0: one binary, no diff or cmp.
      uutils-diffutils = pkg "uutils-diffutils" "0.4.2" {
        bins = ["diffutils"];
        meta.mainProgram = "diffutils";
      };
      brush = pkg "brush" "0.2.23" {
        bins = ["brush"];
        passthru.shellPath = "/bin/brush";
        meta.mainProgram = "brush";
      };
      sudo-rs = pkg "sudo-rs" "0.2.10" {
        bins = ["sudo" "su" "visudo" "sudoedit"];
        meta.mainProgram = "sudo";
      };
      systemd = prev.standIn.systemdAt "258.2";
    })
  ];
}

# GNU coreutils -> uutils coreutils, closure-wide or on PATH, with a GNU
# fallback for every command uutils lacks (`fallbacks`) and the commands
# kept GNU on purpose (`keepGnu`).
#
# NixOS puts coreutils-full into the system path
# (nixos/modules/config/system-path.nix) while unit scripts use coreutils
# (nixos/lib/systemd-lib.nix): both store paths are replaced.
{lib, ...}: {
  imports = [
    (import ../../lib/uutils-component.nix {inherit lib;} {
      name = "coreutils";
      originals = pkgs: [pkgs.coreutils pkgs.coreutils-full];
      uutilsAttr = "uutils-coreutils-noprefix";
      # uutils builds chcon and runcon only with SELinux (SELINUX_PROGS in
      # its GNUmakefile); nixpkgs' package does not enable it.
      missingInUutils = ["chcon" "runcon"];
      description = "uutils coreutils in place of GNU coreutils";
      probes = cfg:
        [
          {
            name = "ls-is-uutils";
            command = "ls --version";
            expect = "uutils coreutils";
          }
          # uutils accepts some options it ignores: check behaviour too.
          {
            name = "date-reads-file-time";
            command = "touch -d @86400 /tmp/.nixos-rs-probe && date -u -r /tmp/.nixos-rs-probe +%Y-%m-%d";
            expect = "^1970-01-02$";
          }
          {
            name = "sort-version";
            command = "printf 'a10\\na9\\n' | sort -V | tr '\\n' ' '";
            expect = "^a9 a10 $";
          }
        ]
        # Store paths that name coreutils directly (the activation script
        # sets PATH to it) reach uutils too.
        ++ lib.optional (cfg.strategy == "closure") {
          name = "activation-coreutils-is-uutils";
          command = "p=$(grep -o '/nix/store/[^/ :]*-coreutils-[^/ :]*/bin' /run/current-system/activate | head -n 1); \"$p/ls\" --version";
          expect = "uutils coreutils";
        };
    })
  ];
}

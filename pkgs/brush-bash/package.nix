# brush-bash: bash's command line in front of brush. Installs bin/brush-bash
# with bin/bash and bin/sh pointing at it. The oxidized.shell module links it
# under the exact store names of bash and bashInteractive, because
# system.replaceDependencies rewrites store paths in place and needs names
# of the same length.
{
  lib,
  rustPlatform,
  brush,
}: let
  ws = import ../workspace.nix {inherit lib;};
  dir = "launchers/brush-bash";
in
  rustPlatform.buildRustPackage {
    pname = "brush-bash";
    inherit (ws) version;

    # The crate's sources live in the workspace, launchers/brush-bash.
    src = ws.src dir [];
    cargoLock.lockFile = ws.cargoLock;
    postPatch = ws.stubOthers [dir];
    cargoBuildFlags = ["--package" "brush-bash"];
    cargoTestFlags = ["--package" "brush-bash"];

    # Fixed at build time; NIXOS_RS_BRUSH still overrides it at run time.
    # brush's binary is bin/brush (meta.mainProgram in
    # pkgs/by-name/br/brush/package.nix).
    env.NIXOS_RS_BRUSH_PATH = lib.getExe brush;

    # The checks run the translation snapshots and the launcher's own exit
    # codes. The differential tests need a brush to compare with bash and
    # find none in the sandbox (no NIXOS_RS_BRUSH, no brush on PATH), so they
    # print "skipped:" and pass; do not add brush to nativeCheckInputs.

    postInstall = ''
      ln -s brush-bash $out/bin/bash
      ln -s brush-bash $out/bin/sh
    '';

    passthru = {
      inherit brush;
      # users.defaultUserShell and users.users.<name>.shell take a shell
      # package: a derivation with shellPath (lib/types.nix, shellPackage).
      shellPath = "/bin/bash";
    };

    meta = {
      description = "bash's command line for brush: a bin/bash and bin/sh that exec brush";
      license = lib.licenses.mit;
      mainProgram = "bash";
      platforms = lib.platforms.linux;
    };
  }

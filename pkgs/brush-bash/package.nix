# brush-bash: bash's command line in front of brush. Installed as bin/bash
# and bin/sh (and bin/brush-bash); the oxidized shell module links it under
# the exact store names of bash and bashInteractive, because
# system.replaceDependencies needs names of the same length.
{
  lib,
  rustPlatform,
  brush,
}:
rustPlatform.buildRustPackage {
  pname = "brush-bash";
  version = (lib.importTOML ./Cargo.toml).package.version;

  src = lib.fileset.toSource {
    root = ./.;
    fileset = lib.fileset.unions [
      ./Cargo.toml
      ./Cargo.lock
      ./src
      ./tests
    ];
  };
  cargoLock.lockFile = ./Cargo.lock;

  # Fixed at build time; NIXOS_RS_BRUSH still overrides it at run time.
  # brush's binary is bin/brush (pkgs/by-name/br/brush/package.nix:
  # meta.mainProgram).
  env.NIXOS_RS_BRUSH_PATH = lib.getExe brush;
  # The differential tests compare with real bash and real brush; in the
  # sandbox they get both.
  nativeCheckInputs = [brush];

  postInstall = ''
    ln -s brush-bash $out/bin/bash
    ln -s brush-bash $out/bin/sh
  '';

  passthru = {
    inherit brush;
    shellPath = "/bin/bash";
  };

  meta = {
    description = "Runs brush with bash's command line: a drop-in bin/bash and bin/sh";
    homepage = "https://github.com/nixos-rs/nixos-rs";
    license = lib.licenses.mit;
    mainProgram = "bash";
    platforms = lib.platforms.linux;
  };
}

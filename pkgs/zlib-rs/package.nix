# zlib-rs as zlib's runtime library: crates.io's libz-rs-sys-cdylib built as
# a static library and linked with zlib's own version script (the crate's
# include/zlib.map) into lib/libz.so.1, soname libz.so.1, so that every
# symbol carries the version zlib gives it (ZLIB_1.2.0 ... ZLIB_1.3.2) and
# programs linked against C zlib load it without "no version information
# available". nixpkgs' `zlib-rs` installs the crate's rlibs only
# (pkgs/by-name/zl/zlib-rs/package.nix): no libz.so.
#
# The gz* functions are in (feature `gz`); gzprintf and gzvprintf are not:
# their feature needs a nightly compiler (the crate's README). The
# oxidized.zlib module checks at build time that no program of the system
# imports a symbol this library lacks.
#
# The published crate carries build leftovers (perf.data, a.out, z_rs.dll,
# ...); nothing here reads them. Cargo.lock is nixos-rs' own, made by
# `cargo generate-lockfile` for this version.
{
  lib,
  stdenv,
  rustPlatform,
  fetchCrate,
}: let
  version = "0.6.8";
  # Where cargo puts the build for the host (rustPlatform's cargo hooks).
  target = "target/${stdenv.hostPlatform.rust.cargoShortTarget}";
in
  rustPlatform.buildRustPackage {
    pname = "zlib-rs";
    inherit version;

    src = fetchCrate {
      pname = "libz-rs-sys-cdylib";
      inherit version;
      hash = "sha256-L0HPHxjGmvT7yIcd5i4FGWHP8qnvANKYOFyaJAx4E68=";
    };
    cargoLock.lockFile = ./Cargo.lock;
    postPatch = ''
      cp ${./Cargo.lock} Cargo.lock
    '';

    cargoBuildFlags = ["--lib"];
    buildFeatures = ["gz"];
    # As the crate's README builds the static library it versions.
    env.RUSTFLAGS = "-Cpanic=abort";
    # The published crate has no tests of its own (zlib-rs' live in its
    # repository); the install check below reads the result.
    doCheck = false;

    installPhase = ''
      runHook preInstall
      mkdir -p "$out/lib"
      ${stdenv.cc.targetPrefix}cc -shared -Wl,--gc-sections \
        -Wl,--whole-archive ${target}/$cargoBuildType/libz_rs.a -Wl,--no-whole-archive \
        -Wl,--version-script=include/zlib.map -Wl,--undefined-version \
        -Wl,-soname,libz.so.1 -lc -o "$out/lib/libz.so.1"
      ln -s libz.so.1 "$out/lib/libz.so"
      runHook postInstall
    '';

    doInstallCheck = true;
    installCheckPhase = ''
      runHook preInstallCheck
      ${stdenv.cc.targetPrefix}readelf -d "$out/lib/libz.so.1" | grep -F '(SONAME)' | grep -qF '[libz.so.1]'
      ${stdenv.cc.targetPrefix}readelf -W --dyn-syms "$out/lib/libz.so.1" | grep -qE ' deflateTune@@ZLIB_1\.2\.2\.3$'
      runHook postInstallCheck
    '';

    meta = {
      description = "zlib-rs, a memory-safe zlib, as zlib's libz.so.1 (its C ABI and symbol versions)";
      homepage = "https://github.com/trifectatechfoundation/zlib-rs";
      license = lib.licenses.zlib;
      platforms = lib.platforms.linux;
    };
  }

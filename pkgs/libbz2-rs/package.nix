# libbzip2-rs as bzip2's runtime library: crates.io's libbz2-rs-sys-cdylib,
# a cdylib, installed as lib/libbz2.so.1 with soname libbz2.so.1 (and the
# links libbz2.so.1.0 and libbz2.so), the names nixpkgs' bzip2 gives its
# library (pkgs/tools/compression/bzip2: libtool's -version-info 1:8:0,
# and a libbz2.so.1.0 link for programs built elsewhere). libbz2 has no
# symbol versions. nixpkgs has no package of libbzip2-rs.
#
# The soname goes in through the linker arguments (the crate is a cdylib
# only), and so does libc: without -lc the library has no DT_NEEDED entry
# at all and relies on the program having loaded libc. Cargo.lock is
# nixos-rs' own, made by `cargo generate-lockfile` for this version.
{
  lib,
  stdenv,
  rustPlatform,
  fetchCrate,
}: let
  version = "0.2.6";
  target = "target/${stdenv.hostPlatform.rust.cargoShortTarget}";
in
  rustPlatform.buildRustPackage {
    pname = "libbz2-rs";
    inherit version;

    src = fetchCrate {
      pname = "libbz2-rs-sys-cdylib";
      inherit version;
      hash = "sha256-9wuLQ3kxZQGkWBryJxgtn8K+4aitJ2egxjezypCRZ58=";
    };
    cargoLock.lockFile = ./Cargo.lock;
    postPatch = ''
      cp ${./Cargo.lock} Cargo.lock
    '';

    cargoBuildFlags = ["--lib"];
    env.RUSTFLAGS = "-Cpanic=abort -Clink-arg=-Wl,-soname,libbz2.so.1 -Clink-arg=-lc";
    # The crate's library target has `test = false`; libbz2-rs' tests live
    # in its repository.
    doCheck = false;

    installPhase = ''
      runHook preInstall
      install -Dm755 ${target}/$cargoBuildType/libbz2_rs.so "$out/lib/libbz2.so.1"
      ln -s libbz2.so.1 "$out/lib/libbz2.so.1.0"
      ln -s libbz2.so.1 "$out/lib/libbz2.so"
      runHook postInstall
    '';

    doInstallCheck = true;
    installCheckPhase = ''
      runHook preInstallCheck
      ${stdenv.cc.targetPrefix}readelf -d "$out/lib/libbz2.so.1" | grep -F '(SONAME)' | grep -qF '[libbz2.so.1]'
      ${stdenv.cc.targetPrefix}readelf -d "$out/lib/libbz2.so.1" | grep -F '(NEEDED)' | grep -qF '[libc.so.6]'
      ${stdenv.cc.targetPrefix}readelf -W --dyn-syms "$out/lib/libbz2.so.1" | grep -qE ' BZ2_bzBuffToBuffCompress$'
      runHook postInstallCheck
    '';

    meta = {
      description = "libbzip2-rs, bzip2 in Rust, as bzip2's libbz2.so.1 (its C ABI)";
      homepage = "https://github.com/trifectatechfoundation/libbzip2-rs";
      license = lib.licenses.bzip2;
      platforms = lib.platforms.linux;
    };
  }

# Everyday commands. `just --list` shows them; `config=nixos-nix just run`
# picks the baseline instead of the oxidized system.

config := env_var_or_default("config", "nixos-rs")
system := "x86_64-linux"

default:
    @just --list

# Build the VM of a configuration.
build:
    nix build .#nixosConfigurations.{{config}}.config.system.build.vm

# Boot it on this terminal's serial console (the VM keeps running).
run:
    nix run .#run{{ if config == "nixos-rs" { "" } else { "-" + config } }}

# Boot check from the desk: verdict, milestones, probes; files in the current directory.
boot-test *ARGS:
    nix run .#boot-test{{ if config == "nixos-rs" { "" } else { "-" + config } }} -- {{ARGS}}

# The boot check as Nix runs it (needs a builder with kvm + nixos-test).
check:
    nix build -L .#checks.{{system}}.boot-{{config}}

# Boot both configurations and print their reports side by side.
compare:
    nix run .#compare

# Closure sizes of both configurations, side by side.
compare-closure:
    #!/usr/bin/env bash
    set -euo pipefail
    for c in nixos-nix nixos-rs; do
      top=".#nixosConfigurations.$c.config.system.build.toplevel"
      nix build --no-link "$top"
      printf '%-10s ' "$c"
      nix path-info --closure-size -h "$top"
    done

# Which store paths differ between the two closures.
compare-packages:
    nix store diff-closures .#nixosConfigurations.nixos-nix.config.system.build.toplevel .#nixosConfigurations.nixos-rs.config.system.build.toplevel

# How much of each system is Rust, and what moved from nixos-nix to nixos-rs.
oxidation:
    nix build .#checks.{{system}}.oxidation-compare
    cat result/compare.md

# Boot a boot check again (its cached result is deleted first).
recheck:
    nix run .#recheck -- .#checks.{{system}}.boot-{{config}}

# Explore the oxidized closure.
tree:
    nix-tree --derivation .#nixosConfigurations.{{config}}.config.system.build.toplevel

# What the oxidized module did, as a table.
report:
    nix eval --json .#nixosConfigurations.{{config}}.config.oxidized.report

# The repository's own test suite (what CI runs); `just test format` runs one stage.
test *STAGES:
    scripts/test {{STAGES}}

# Format and lint Nix, Rust and shell (treefmt.toml; `nix fmt` does the same).
fmt:
    treefmt

# Check formatting and lints without changing anything.
lint:
    treefmt --ci

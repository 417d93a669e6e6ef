import { execFile } from "node:child_process";
import { cpSync, symlinkSync } from "node:fs";
import { join, resolve } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { cleanEnv, tempDir } from "../helpers/cli.js";

const run = promisify(execFile);
const ROOT = resolve(import.meta.dirname, "../..");

/**
 * `npm pack` from a clean copy (no dist/): prepack builds it, and the tarball has what `npx
 * front-twilio` needs and nothing else. Packed in a copy so the suite's own dist/ is untouched.
 */
describe("the npm package", () => {
  it("ships a built dist/, the bin, README and LICENSE; no sources, tests or source maps", async () => {
    const copy = tempDir("ft-pack-");
    for (const entry of [
      "package.json",
      "tsconfig.json",
      "tsconfig.build.json",
      "README.md",
      "LICENSE",
      "src",
      "bin",
    ])
      cpSync(join(ROOT, entry), join(copy, entry), { recursive: true });
    symlinkSync(join(ROOT, "node_modules"), join(copy, "node_modules"), "dir");
    const out = tempDir("ft-tarball-");
    const { stdout } = await run("npm", ["pack", "--json", "--pack-destination", out], {
      cwd: copy,
      env: cleanEnv(),
    });
    const [packed] = JSON.parse(stdout.slice(stdout.indexOf("["))) as {
      filename: string;
      files: { path: string }[];
    }[];
    const files = packed!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining([
        "LICENSE",
        "README.md",
        "package.json",
        "bin/front-twilio.js",
        "dist/cli.js",
        "dist/commands/serve/serve.js",
      ]),
    );
    expect(files.filter((f) => f.endsWith(".map"))).toEqual([]);
    expect(files.filter((f) => /^(src|test)\//.test(f) || f.endsWith(".ts"))).toEqual([]);

    // The unpacked package runs on its own (its dependencies as npm would install them).
    await run("tar", ["-xzf", join(out, packed!.filename), "-C", out]);
    symlinkSync(join(ROOT, "node_modules"), join(out, "package", "node_modules"), "dir");
    const help = await run(
      process.execPath,
      [join(out, "package", "bin", "front-twilio.js"), "--help"],
      {
        env: cleanEnv(),
      },
    );
    expect(help.stdout).toContain("Usage: front-twilio");
  }, 180_000);
});

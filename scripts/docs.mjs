// Writes the README's settings reference from the settings table (src/config/schema.ts).
import { readFileSync, writeFileSync } from "node:fs";
import { withSettingsReference } from "../dist/config/reference.js";

const file = new URL("../README.md", import.meta.url);
writeFileSync(file, withSettingsReference(readFileSync(file, "utf8")));
console.log("README.md: settings reference written from src/config/schema.ts");

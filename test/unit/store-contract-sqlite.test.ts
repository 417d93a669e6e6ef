import Database from "better-sqlite3";
import { createSqliteStore } from "../../src/store/sqlite-store.js";
import { describeStoreContract } from "../store-contract/contract.js";

// In memory, on this thread: the same SQL the store's thread runs on the file.
describeStoreContract("SQLite", async () => createSqliteStore(new Database(":memory:")));

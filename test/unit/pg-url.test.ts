import { describe, expect, it } from "vitest";
import { isPostgresUrl, maskDatabaseUrl, parseDatabaseUrl } from "../../src/store/pg-url.js";

describe("database URLs", () => {
  it("never shows the password", () => {
    expect(maskDatabaseUrl("postgres://bridge:p%40ss:w0rd@db.internal:5432/sms?schema=prod")).toBe(
      "postgres://bridge:****@db.internal:5432/sms?schema=prod",
    );
    expect(maskDatabaseUrl("postgres://bridge@db/sms")).toBe("postgres://bridge@db/sms");
    expect(maskDatabaseUrl("postgres://u:secret@[bad")).not.toContain("secret");
  });

  it("takes the schema out of the URL, defaulting to public", () => {
    expect(parseDatabaseUrl("postgres://u:p@h:5432/db?schema=t_1&sslmode=require")).toEqual({
      connectionString: "postgres://u:p@h:5432/db?sslmode=require",
      schema: "t_1",
    });
    expect(parseDatabaseUrl("postgresql://h/db").schema).toBe("public");
    expect(() => parseDatabaseUrl('postgres://h/db?schema=x"; drop')).toThrow(/plain name/);
  });

  it("recognises PostgreSQL URLs only", () => {
    expect(isPostgresUrl("postgres://h/db")).toBe(true);
    expect(isPostgresUrl("POSTGRESQL://h/db")).toBe(true);
    expect(isPostgresUrl("mysql://h/db")).toBe(false);
    expect(isPostgresUrl(undefined)).toBe(false);
  });
});

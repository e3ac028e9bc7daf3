import { readFileSync } from "node:fs";
import path from "node:path";

export type Account = { email: string; password: string; name: string };
export type Accounts = {
  run: string;
  partnerName: string;
  customerName: string;
  admin: Account;
  partner: Account;
  customer: Account;
  throttled: Account;
  revoked: Account;
};

export const accountsFile = path.join(process.cwd(), "e2e", ".artifacts", "accounts.json");
export const accounts = (): Accounts => JSON.parse(readFileSync(accountsFile, "utf8")) as Accounts;

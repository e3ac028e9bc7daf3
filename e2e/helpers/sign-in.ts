import { expect, type Page } from "@playwright/test";
import type { Account } from "./accounts";

export async function signIn(page: Page, who: Pick<Account, "email" | "password">) {
  await page.goto("/login");
  await page.getByLabel("E-mail").fill(who.email);
  await page.getByLabel("Password").fill(who.password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/.artifacts/screens/${name}.png`, fullPage: true });
}

export async function expectSignedInAs(page: Page, who: Account) {
  await expect(page.getByTestId("signed-in-name")).toHaveText(who.name);
}

/** The sign-in form's error (Next's route announcer is an alert too). */
export const formError = (page: Page) => page.locator("form [role=alert]");

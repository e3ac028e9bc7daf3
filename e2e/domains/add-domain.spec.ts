import { STEP_CATALOG } from "../../src/lib/provisioning/catalog";
import { expect, test } from "@playwright/test";
import { accounts } from "../helpers/accounts";
import { shot, signIn } from "../helpers/sign-in";

test.describe("adding a domain", () => {
  test("a customer adds a domain with a mailbox, sees the plan of changes, and watches it go live", async ({ page }) => {
    test.setTimeout(180_000);
    const a = accounts();
    const domain = `cafe-${a.run}.com`;
    await signIn(page, a.customer);
    await expect(page).toHaveURL(/\/domains$/);
    await page.getByRole("link", { name: "Add domain" }).click();
    await expect(page.getByRole("heading", { name: "Add a domain" })).toBeVisible();

    // A reserved name is refused on the spot, with the reason.
    await page.getByLabel("Domain name").fill("example.com");
    await page.getByRole("button", { name: "Continue" }).click();
    await expect(page.getByText(/reserved for documentation \(RFC 2606\)/).first()).toBeVisible();
    await expect(page.getByRole("button", { name: "Add mailbox" })).toHaveCount(0);
    await shot(page, "add-domain-refused");

    await page.getByLabel("Domain name").fill(domain.toUpperCase());
    await page.getByRole("button", { name: "Continue" }).click();
    await page.getByRole("button", { name: "Add mailbox" }).click();
    await page.getByLabel("Mailbox 1 address").fill("hello");
    await page.getByLabel("Mailbox 1 password").fill("Espresso-Morning-7");
    await page.getByRole("button", { name: "Add alias" }).click();
    await page.getByLabel("Alias 1 address").fill(`info@${domain}`);
    await page.getByLabel("Alias 1 forwards to").fill(`hello@${domain}`);
    await shot(page, "add-domain-mail");
    await page.getByRole("button", { name: "Continue" }).click();

    const plan = page.getByLabel("Plan of changes");
    // In plain words first; the object-by-object plan behind a toggle.
    await expect(plan.getByText("Your website's app")).toBeVisible({ timeout: 20_000 });
    await expect(plan.getByText(`Mailbox: hello@${domain}`)).toBeVisible();
    await page.getByRole("button", { name: "Show technical details" }).click();
    const objects = page.getByLabel("Changes object by object");
    await expect(objects.getByText(/^Deployment cust-/)).toBeVisible();
    await expect(objects.getByText(`TXT default._domainkey.${domain}.`)).toBeVisible();
    await shot(page, "add-domain-review");
    await page.getByRole("button", { name: "Add domain" }).click();

    await expect(page).toHaveURL(/\/domains\/[a-z0-9]+$/);
    await expect(page.getByRole("heading", { name: domain })).toBeVisible();
    const steps = page.getByRole("list", { name: "Provisioning steps" });
    await expect(steps).toBeVisible({ timeout: 30_000 });
    await shot(page, "domain-provisioning");
    await expect(page.getByText("Active", { exact: true })).toBeVisible({ timeout: 120_000 });
    await expect(steps.locator("[data-status=SUCCEEDED]")).toHaveCount(STEP_CATALOG.Domain.length);
    await expect(page.getByText(`hello@${domain}`, { exact: true })).toBeVisible();
    await shot(page, "domain-active");

    // Back on the list, the domain shows as active.
    await page.getByRole("link", { name: "← Domains" }).click();
    await expect(page.getByRole("link", { name: domain })).toBeVisible();
    await expect(page.getByRole("row", { name: new RegExp(domain) }).getByText("Active")).toBeVisible();
    await shot(page, "domains-list");

    // Delete it: typing the name is required; afterwards it is gone everywhere.
    await page.getByRole("link", { name: domain }).click();
    await expect(page.getByRole("button", { name: "Delete domain" })).toBeDisabled();
    await page.getByLabel("Type the domain name to confirm").fill(domain);
    await page.getByRole("button", { name: "Delete domain" }).click();
    await expect(page.getByText(/This domain is gone/)).toBeVisible({ timeout: 120_000 });
  });
});

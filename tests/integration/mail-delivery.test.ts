import { execFile } from "node:child_process";
import { access } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { db } from "@/server/db";
import { addDomain } from "@/server/services/domains/add-domain";
import { deleteDomain } from "@/server/services/domains/delete-domain";
import { dkimTxtRecord, generateDkimKey, toTxtContent } from "@/server/integrations/dkim/keys";
import { domainNames } from "@/server/provisioning/values";
import { roomyCustomer, uniq } from "../fixtures";
import { engine, reconcileAll } from "../helpers/provisioning";
import { imapLoginWorks, imapWaitFor, opendkimTestkey, refusal, signingSelector, sinkMessages, stack, swaks, verifyDkim, waitFor } from "../helpers/mail";

/**
 * A domain provisioned through Berth (addDomain → reconcile) receives and sends mail on
 * the local mail system (k8s/mail: Postfix, Dovecot, OpenDKIM), proven with real
 * clients: swaks (SMTP, submission), imapflow (IMAP), mailauth and opendkim-testkey
 * (DKIM against PowerDNS).
 */
const run = promisify(execFile);
const { kube, pdns, mail } = engine().deps;
const actor = { userId: null, ip: "test" };
const created: string[] = [];
const extraSecrets: Array<{ name: string; namespace: string }> = [];

const ALICE_PW = "Sunrise-Tango-42";
const BOB_PW = "Harbor-Lights-77";
let domain = "";
let domainId = "";
let scope: Awaited<ReturnType<typeof roomyCustomer>>["scope"];
let customerNumber = 0;
let createdAt = 0;

beforeAll(async () => {
  const c = await roomyCustomer();
  scope = c.scope;
  customerNumber = c.customer.number;
  domain = `post-${uniq()}.net`;
  created.push(domain);
  createdAt = Date.now();
  const d = await addDomain(
    scope,
    {
      domain,
      includeDatabase: false,
      mailUsers: [
        { localPart: "alice", password: ALICE_PW },
        { localPart: "bob", password: BOB_PW },
      ],
      aliases: [
        { source: "info", destination: `alice@${domain}` },
        { source: "team", destination: `alice@${domain}` },
        { source: "team", destination: `bob@${domain}` },
        { source: "fwd", destination: "someone@offsite-mail.net" },
      ],
    },
    actor,
  );
  domainId = d.id;
  await reconcileAll();
  expect((await db.domain.findUniqueOrThrow({ where: { id: d.id } })).status).toBe("ACTIVE");
}, 240_000);

afterAll(async () => {
  for (const s of extraSecrets) await kube.remove({ apiVersion: "v1", kind: "Secret", metadata: s });
  const left = await db.domain.findMany({ where: { name: { in: created } }, select: { id: true } });
  for (const d of left) await db.domain.update({ where: { id: d.id }, data: { deletionRequested: true, dueAt: new Date(0), leaseUntil: null } });
  if (left.length) await reconcileAll();
}, 180_000);

describe("mail for a provisioned domain", () => {
  it("info@ reaches alice's mailbox and she reads it over IMAP; a wrong password is refused", async () => {
    const subject = `welcome ${uniq()}`;
    const sent = await swaks({ from: "customer@outside.test", to: `info@${domain}`, subject });
    expect(sent.ok, sent.transcript).toBe(true);
    const msg = await imapWaitFor(`alice@${domain}`, ALICE_PW, subject);
    // Provisioning started → message readable, for the report.
    console.log(`mail-delivery: domain added → first message readable over IMAP in ${Date.now() - createdAt} ms`);
    expect(msg.from).toBe("customer@outside.test");
    expect(await imapLoginWorks(`alice@${domain}`, "wrong-password-1")).toBe(false);
    const unknown = await swaks({ from: "customer@outside.test", to: `nobody-${uniq()}@${domain}`, subject: "lost" });
    expect(refusal(unknown)).toMatch(/^550 5\.1\.1 /);
  });

  it("an alias with two destinations delivers to both; a forwarder to an outside address lands in the sink", async () => {
    const subject = `team news ${uniq()}`;
    expect((await swaks({ from: "customer@outside.test", to: `team@${domain}`, subject })).ok).toBe(true);
    await imapWaitFor(`alice@${domain}`, ALICE_PW, subject);
    await imapWaitFor(`bob@${domain}`, BOB_PW, subject);

    const fwd = `forward me ${uniq()}`;
    expect((await swaks({ from: "customer@outside.test", to: `fwd@${domain}`, subject: fwd })).ok).toBe(true);
    const caught = await waitFor("the forwarded message in the sink", async () => (await sinkMessages()).find((m) => m.source.includes(`Subject: ${fwd}`)));
    expect(caught.deliveredTo).toBe("someone@offsite-mail.net");
  });

  it("mail submitted by alice is DKIM-signed with the key Berth published, and verifies against PowerDNS", async () => {
    await waitFor("the signer to have the domain's key", async () => (await signingSelector(domain)) === "default");
    expect(await opendkimTestkey(domain, "default")).toMatch(/key OK/);

    // Another customer's address on submission is refused: alice may send only as herself.
    const forged = await swaks({ via: "submission", auth: { user: `alice@${domain}`, password: ALICE_PW }, from: `bob@${domain}`, to: `bob@${domain}`, subject: "forged" });
    expect(refusal(forged)).toMatch(/^553 5\.7\.1 .*not owned by user/);
    const noAuth = await swaks({ via: "submission", from: `alice@${domain}`, to: "someone@offsite-mail.net", subject: "no auth" });
    expect(noAuth.ok).toBe(false);

    const subject = `signed ${uniq()}`;
    const sent = await swaks({ via: "submission", auth: { user: `alice@${domain}`, password: ALICE_PW }, from: `alice@${domain}`, to: `bob@${domain}`, subject });
    expect(sent.ok, sent.transcript).toBe(true);
    const msg = await imapWaitFor(`bob@${domain}`, BOB_PW, subject);
    const results = await verifyDkim(msg.source);
    expect(results).toEqual([expect.objectContaining({ signingDomain: domain, selector: "default", status: expect.objectContaining({ result: "pass" }) })]);

    // Outgoing to the outside world: signed too, and caught by the sink.
    const out = `outbound ${uniq()}`;
    expect((await swaks({ via: "submission", auth: { user: `alice@${domain}`, password: ALICE_PW }, from: `alice@${domain}`, to: "partner@offsite-mail.net", subject: out })).ok).toBe(true);
    const leaving = await waitFor("the outbound message in the sink", async () => (await sinkMessages()).find((m) => m.source.includes(`Subject: ${out}`)));
    expect((await verifyDkim(leaving.source))[0]?.status.result).toBe("pass");
  });

  it("after a key rotation the new selector signs and verifies", async () => {
    const key = await generateDkimKey();
    const secretName = `${domainNames(domain, customerNumber).dkimSecret}-r2`;
    const namespace = "mail-system";
    extraSecrets.push({ name: secretName, namespace });
    await kube.apply({ apiVersion: "v1", kind: "Secret", metadata: { name: secretName, namespace }, type: "Opaque", stringData: { "private.key": key.privateKeyPem, "selector.txt": "r2" } });
    await pdns.patchRRSets(domain, [
      { name: `r2._domainkey.${domain}.`, type: "TXT", ttl: 300, changetype: "REPLACE", records: [{ content: toTxtContent(dkimTxtRecord(key.publicKeyBase64)), disabled: false }], comments: [] },
    ]);
    const row = await mail.getDomain(domain);
    if (!row) throw new Error(`${domain} is not in the mail DB`);
    await mail.ensureDkimSelector(row.id, "r2", secretName);
    await waitFor("the signer to switch to selector r2", async () => (await signingSelector(domain)) === "r2");
    expect(await opendkimTestkey(domain, "r2")).toMatch(/key OK/);

    const subject = `rotated ${uniq()}`;
    expect((await swaks({ via: "submission", auth: { user: `bob@${domain}`, password: BOB_PW }, from: `bob@${domain}`, to: `alice@${domain}`, subject })).ok).toBe(true);
    const msg = await imapWaitFor(`alice@${domain}`, ALICE_PW, subject);
    expect(await verifyDkim(msg.source)).toEqual([expect.objectContaining({ selector: "r2", status: expect.objectContaining({ result: "pass" }) })]);
  });

  it("suspending the domain through Berth defers its mail (4xx) and blocks logins; resuming accepts again", async () => {
    const bump = (suspended: boolean) => db.domain.update({ where: { id: domainId }, data: { suspended, generation: { increment: 1 }, dueAt: new Date(0) } });
    await bump(true);
    await reconcileAll();
    const held = await swaks({ from: "customer@outside.test", to: `alice@${domain}`, subject: "while suspended" });
    expect(refusal(held)).toMatch(/^450 4\.2\.1 .*suspended/);
    expect(await imapLoginWorks(`alice@${domain}`, ALICE_PW)).toBe(false);
    // The mailbox row stays active: a 5xx would bounce what the sender should retry.
    expect((await mail.getMailbox(`alice@${domain}`))?.active).toBe(true);

    await bump(false);
    await reconcileAll();
    const subject = `after resume ${uniq()}`;
    expect((await swaks({ from: "customer@outside.test", to: `alice@${domain}`, subject })).ok).toBe(true);
    await imapWaitFor(`alice@${domain}`, ALICE_PW, subject);
  }, 120_000);

  it("deleting the domain stops delivery; its maildirs stay for the retention, then go", async () => {
    await deleteDomain(scope, domainId, actor);
    await reconcileAll();
    // bob, not alice: an smtpd process remembers the class of the last address it resolved (one entry).
    const after = await swaks({ from: "customer@outside.test", to: `bob@${domain}`, subject: "too late" });
    expect(refusal(after)).toMatch(/^554 5\.7\.1 .*Relay access denied/);
    await waitFor("the signer to drop the domain", async () => (await signingSelector(domain)) === undefined);

    const vmail = stack.DOVECOT_VMAIL_DIR;
    if (!vmail) throw new Error("DOVECOT_VMAIL_DIR is missing from .stack/env");
    const dir = path.join(vmail, "vhosts", domain);
    const exists = () => access(dir).then(() => true, () => false);
    const sweep = async (retentionSeconds: number) => {
      const env = { ...process.env, MAIL_RO_DB_URL: stack.MAIL_RO_DB_URL ?? "", DOVECOT_VMAIL_DIR: vmail };
      const { stdout } = await run("node_modules/.bin/tsx", ["scripts/stack/mail-agent.ts", "sweep", String(retentionSeconds), domain], { env, timeout: 30_000 });
      return JSON.parse(stdout) as string[];
    };
    expect(await exists()).toBe(true);
    expect(await sweep(30 * 86_400)).not.toContain(domain); // within the 30-day retention
    expect(await exists()).toBe(true);
    expect(await sweep(0)).toContain(domain); // the retention has passed
    expect(await exists()).toBe(false);
  }, 120_000);
});

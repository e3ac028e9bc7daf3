import { z } from "zod";

/**
 * What adding a domain takes, shared by the panel (tRPC) and the REST API.
 * Names are checked here for shape; the domain itself is normalised and
 * checked against the Public Suffix List and ownership in the service.
 */
const LOCAL_PART = /^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?$/;
// Registry host[:port]/path[:tag][@digest], as in the OCI distribution spec, lower case.
const IMAGE = /^(?:[a-z0-9.-]+(?::\d{1,5})?\/)?[a-z0-9]+(?:[._-][a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-][a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const EMAIL = /^[a-z0-9](?:[a-z0-9._+-]{0,62}[a-z0-9])?@[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/;

export const localPart = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter the part before the @")
  .max(64, "The part before the @ can be 64 characters at most")
  .regex(LOCAL_PART, "Use letters, digits and . _ + - (not at the start or end)")
  .refine((s) => !s.includes(".."), "Two dots in a row are not allowed");

export const mailboxPassword = z
  .string()
  .min(10, "Use at least 10 characters")
  .max(128, "Use at most 128 characters")
  .refine((s) => !/[\u0000-\u001f\u007f]/.test(s), "Control characters are not allowed");

export const mailUserInput = z
  .object({
    /** Either the full address (at this domain) or just the part before the @. */
    email: z.string().trim().toLowerCase().max(320).optional(),
    localPart: z.string().optional(),
    password: mailboxPassword,
    quotaMb: z.number().int().min(50, "At least 50 MB").max(1_048_576, "At most 1 TB").optional(),
  })
  .refine((m) => m.email !== undefined || m.localPart !== undefined, { message: "Give the mailbox an address", path: ["localPart"] });

export const aliasInput = z.object({
  /** The address at this domain (or just its local part) that forwards. */
  source: z.string().trim().toLowerCase().min(1).max(320),
  destination: z.string().trim().toLowerCase().max(254).regex(EMAIL, "Enter a full e-mail address to forward to"),
});

export const addDomainInput = z.object({
  customerId: z.string().max(64).optional(),
  domain: z.string().max(300, "That is too long to be a domain name"),
  image: z.string().trim().max(255).regex(IMAGE, "Enter an image reference like nginxinc/nginx-unprivileged:alpine").optional(),
  includeDatabase: z.boolean().default(false),
  mailUsers: z.array(mailUserInput).max(100, "Add at most 100 mailboxes at once").default([]),
  aliases: z.array(aliasInput).max(200, "Add at most 200 aliases at once").default([]),
});

export type AddDomainInput = z.infer<typeof addDomainInput>;

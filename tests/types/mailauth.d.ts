// mailauth ships no type declarations; these cover what the mail tests call.
declare module "mailauth/lib/dkim/verify" {
  export type DkimResult = {
    signingDomain?: string;
    selector?: string;
    status: { result: string; comment?: string };
  };
  export function dkimVerify(
    input: Buffer | string,
    options: { resolver: (name: string, rrtype: string) => Promise<unknown> },
  ): Promise<{ results: DkimResult[] }>;
}

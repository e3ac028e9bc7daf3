import { customerProcedure } from "@/server/api/trpc";
import { changeMailboxPassword, changeMailboxPasswordInput } from "@/server/services/mail/change-password";

/** A new password for one mailbox: only its mail-DB row is written, by its own run. */
export const changeMailboxPasswordProcedure = customerProcedure
  .input(changeMailboxPasswordInput.extend({ customerId: changeMailboxPasswordInput.shape.mailboxId.optional() }))
  .mutation(({ ctx, input }) => changeMailboxPassword(ctx.scope, input, { userId: ctx.viewer.userId, ip: ctx.ip }));

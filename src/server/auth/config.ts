import "server-only";
import NextAuth, { CredentialsSignin, type DefaultSession } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "@/env";
import { db } from "@/server/db";
import { isAppError } from "@/server/errors";
import { authenticate, startSession } from "@/server/services/auth/authenticate";
import { clientAddress } from "@/server/auth/client-address";
import { sessionStillValid } from "@/server/auth/session-check";

declare module "next-auth" {
  interface User {
    sessionId?: string;
  }
  interface Session {
    sessionId: string;
    user: { id: string } & DefaultSession["user"];
  }
}

/** The code travels to the sign-in form; it must never tell whether an account exists. */
class InvalidCredentials extends CredentialsSignin {
  code = "invalid";
}
class Throttled extends CredentialsSignin {
  constructor(seconds: number) {
    super();
    this.code = `throttled:${seconds}`;
  }
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  // Sign-in must work on every partner's panel host, so Auth.js trusts the
  // request's host; the auth route and the sign-in action first refuse any
  // host that is not a panel's (src/server/services/panel-hosts/known-hosts.ts).
  trustHost: true,
  secret: env.AUTH_SECRET,
  session: { strategy: "jwt", maxAge: env.SESSION_MAX_AGE_SECONDS },
  pages: { signIn: "/login", error: "/login" },
  logger: {
    // Auth.js logs CredentialsSignin as an error with the stack; a wrong password is not an error.
    error(error) {
      if ((error as { type?: string }).type === "CredentialsSignin") return;
      console.error("[auth]", error.name, error.message);
    },
  },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" } },
      async authorize(credentials, request) {
        const address = clientAddress(request.headers);
        try {
          const user = await authenticate(
            { email: String(credentials?.email ?? ""), password: String(credentials?.password ?? "") },
            address,
          );
          const session = await startSession(user, {
            address,
            userAgent: request.headers.get("user-agent"),
            maxAgeSeconds: env.SESSION_MAX_AGE_SECONDS,
          });
          return { id: user.id, email: user.email, name: user.name, sessionId: session.id };
        } catch (e) {
          if (isAppError(e) && e.code === "TOO_MANY_REQUESTS") throw new Throttled(e.retryAfterSeconds ?? 60);
          if (isAppError(e) && e.code === "UNAUTHORIZED") throw new InvalidCredentials();
          throw e;
        }
      },
    }),
  ],
  callbacks: {
    async jwt({ token, user }) {
      if (user) {
        token.sid = user.sessionId;
        token.sub = user.id;
        return token;
      }
      // Every request: the session must still be valid (src/server/auth/session-check.ts).
      const sid = typeof token.sid === "string" ? token.sid : null;
      if (!sid || !token.sub || !(await sessionStillValid(sid, token.sub))) return null;
      return token;
    },
    session({ session, token }) {
      session.sessionId = String(token.sid);
      session.user.id = String(token.sub);
      return session;
    },
  },
  events: {
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid === "string") {
        await db.panelSession.updateMany({ where: { id: sid, revokedAt: null }, data: { revokedAt: new Date() } });
      }
    },
  },
});

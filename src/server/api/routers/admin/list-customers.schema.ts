import { z } from "zod";

export const listCustomersInput = z
  .object({ search: z.string().trim().max(100, "Search for at most 100 characters").optional() })
  .optional();

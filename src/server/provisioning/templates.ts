import { readFileSync } from "node:fs";
import path from "node:path";
import { loadAllYaml, type KubernetesObject } from "@kubernetes/client-node";

/**
 * Tenant objects come from k8s/tenants/templates/*.yaml: the YAML operators
 * read is the YAML Berth applies. Placeholders `${name}` are substituted
 * after parsing, in string values only, so a value can never change the
 * structure of the document: a scalar that is exactly `${name}` takes the
 * value as given (a number stays a number), anything else is interpolated.
 */
export type TemplateValues = Record<string, string | number>;

const cache = new Map<string, unknown[]>();
const templatesDir = () => path.join(/* turbopackIgnore: true */ process.cwd(), "k8s", "tenants", "templates");

function load(name: string): unknown[] {
  let docs = cache.get(name);
  if (!docs) {
    const file = path.join(templatesDir(), `${name}.yaml`);
    docs = loadAllYaml(readFileSync(/* turbopackIgnore: true */ file, "utf8")).filter((d: unknown) => d !== null);
    cache.set(name, docs);
  }
  return docs;
}

const WHOLE = /^\$\{([A-Za-z][A-Za-z0-9]*)\}$/;
const PART = /\$\{([A-Za-z][A-Za-z0-9]*)\}/g;

function substitute(node: unknown, values: TemplateValues, template: string): unknown {
  const need = (key: string) => {
    const v = values[key];
    if (v === undefined) throw new Error(`template ${template}.yaml needs a value for \${${key}}`);
    return v;
  };
  if (typeof node === "string") {
    const whole = WHOLE.exec(node);
    if (whole?.[1]) return need(whole[1]);
    return node.replace(PART, (_, key: string) => String(need(key)));
  }
  if (Array.isArray(node)) return node.map((n) => substitute(n, values, template));
  if (node && typeof node === "object") {
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [substitute(k, values, template) as string, substitute(v, values, template)]));
  }
  return node;
}

/** Every object of one template, rendered with these values. */
export function renderTemplate(name: string, values: TemplateValues): KubernetesObject[] {
  return load(name).map((doc) => substitute(doc, values, name) as KubernetesObject);
}

/** A template that holds exactly one object. */
export function renderOne(name: string, values: TemplateValues): KubernetesObject {
  const [obj, ...rest] = renderTemplate(name, values);
  if (!obj || rest.length) throw new Error(`template ${name}.yaml must hold exactly one object`);
  return obj;
}

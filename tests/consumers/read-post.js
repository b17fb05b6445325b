// Reads a post as gatsby-transformer-remark 6.16 does (gray-matter, then remark 13 with
// remark-gfm, mdast-util-to-hast and hast-util-to-html with raw HTML kept) and prints
// what a Gatsby site would see, as JSON.
"use strict";
const fs = require("fs");
const matter = require("gray-matter");
const remark = require("remark");
const gfm = require("remark-gfm");
const toHast = require("mdast-util-to-hast");
const toHtml = require("hast-util-to-html");

const file = matter(fs.readFileSync(process.argv[2], "utf8"));
const types = {};
const data = {};
for (const [key, value] of Object.entries(file.data)) {
  types[key] = value instanceof Date ? "date" : Array.isArray(value) ? "array" : typeof value;
  data[key] = value instanceof Date ? value.toJSON() : value;
}
const tree = remark().use(gfm).parse(file.content);
const headings = [];
const html = [];
(function walk(node) {
  if (node.type === "heading") headings.push({ depth: node.depth, text: node.children.map((c) => c.value || "").join("") });
  if (node.type === "html") html.push(node.value);
  (node.children || []).forEach(walk);
})(tree);
const rendered = toHtml(toHast(tree, { allowDangerousHtml: true }), { allowDangerousHtml: true });
process.stdout.write(JSON.stringify({ data, types, headings, html, rendered }));

// @ts-check
// Static site for the generated docs: pages are read in place from ../generated/docs (written by
// `opigen generate`), so the site never holds a copy that could go stale.
const path = require('path');
const {themes: prismThemes} = require('prism-react-renderer');

// OPI_DOCS_DIR builds another tree of generated pages (for example one rendered into a temporary folder).
const DOCS_DIR = path.resolve(__dirname, process.env.OPI_DOCS_DIR || '../generated/docs');

/** @type {import('@docusaurus/types').Config} */
const config = {
  title: 'opi',
  tagline: 'Typed Python clients and the opi command for HTTP API providers',
  favicon: 'img/favicon.svg',
  // Only used for canonical links; override when publishing somewhere else.
  url: process.env.OPI_DOCS_URL || 'http://localhost',
  baseUrl: process.env.OPI_DOCS_BASE_URL || '/',
  // Every page is a folder with index.html, which any static file server (and http.server) serves as is.
  trailingSlash: true,
  // A broken link, anchor or Markdown link fails the build instead of shipping a dead page.
  onBrokenLinks: 'throw',
  onBrokenAnchors: 'throw',
  onDuplicateRoutes: 'throw',
  markdown: {
    format: 'mdx',
    hooks: {onBrokenMarkdownLinks: 'throw', onBrokenMarkdownImages: 'throw'},
  },
  // v4 turns on @docusaurus/faster (Rspack, SWC, Lightning CSS): a fraction of webpack's build time.
  // No eager git scan: pages show no last-update data, and the site builds from a plain source tree.
  future: {v4: true, faster: {gitEagerVcs: false}},
  i18n: {defaultLocale: 'en', locales: ['en']},
  // No preset: the classic preset pulls in Algolia search, which fetches at run time.
  plugins: [
    [
      '@docusaurus/plugin-content-docs',
      {
        path: DOCS_DIR,
        routeBasePath: '/',
        sidebarPath: require.resolve('./sidebars.js'),
      },
    ],
  ],
  themes: [
    ['@docusaurus/theme-classic', {customCss: require.resolve('./src/css/custom.css')}],
    [
      // Offline full-text search: the index is built with the site, nothing is fetched.
      '@easyops-cn/docusaurus-search-local',
      {
        indexDocs: true,
        indexBlog: false,
        indexPages: false,
        docsRouteBasePath: '/',
        docsDir: DOCS_DIR,
        language: ['en'],
        hashed: true,
      },
    ],
  ],
  themeConfig: {
    navbar: {
      title: 'opi',
      items: [{type: 'docSidebar', sidebarId: 'providers', position: 'left', label: 'Providers'}],
    },
    prism: {
      theme: prismThemes.github,
      darkTheme: prismThemes.dracula,
      additionalLanguages: ['bash', 'batch'],
    },
  },
};

module.exports = config;

// What a person reads in rendered markup (renderToStaticMarkup): tags become spaces, React's entities are
// decoded, runs of white space are one space. For the renderer tests that assert a component's words.
export const textOf = (html: string): string =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ')
    .trim();

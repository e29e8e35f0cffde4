// oclif renders every help text through EJS for `<%= config.bin %>`-style templates, which this
// tool's texts do not use; loading and compiling EJS for them costs ~6 ms of `--help`. A text
// without a tag renders as itself; one with a tag goes to EJS.
module.exports = {
  render(template, data, options) {
    return template.includes('<%') ? require('ejs').render(template, data, options) : template;
  },
};

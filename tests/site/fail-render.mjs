// Preloaded into the site builder process by tests/site/retraction-failure.test.ts (NODE_OPTIONS=--import):
// a page that shows the tag below throws while rendering, as a bug in a template would. The retracted
// item page calls tagSlug (String#normalize) on its tags; the tag pages never see a retracted item's tags.
// Nothing in the server loads this file.
const FAIL_TAG = '渲染失败测试';
const normalize = String.prototype.normalize;
String.prototype.normalize = function (...args) {
  if (String(this).includes(FAIL_TAG)) throw new Error(`forced render failure (${FAIL_TAG})`);
  return normalize.apply(this, args);
};

/* Entry bodies start as previews; CKEditor starts on the body a person reaches.
 *
 * Starting CKEditor 4 takes the main thread for a while per instance; thirteen at once kept the
 * issue page busy for seconds. Each body is rendered as a preview of its HTML beside its hidden
 * textarea (bulletins/editors.py). Its editor starts when the preview is focused or clicked, its
 * label clicked, or it scrolls into view; one editor at a time, a focused one first. A body whose
 * editor never started is posted as the textarea holds it, the stored HTML; an editor that started
 * but holds no edit posts that original too, not CKEditor's reformatting of it. Replaces
 * django-ckeditor's ckeditor-init.js, which started every editor on load; CKEditor itself
 * (ckeditor.js, then django-ckeditor's fixups.js) and django-ckeditor's ckeditor.css are loaded
 * when the first editor starts.
 */
/* global CKEDITOR */
;(() => {
  const script = document.getElementById("ckeditor-init-script")
  if (script && !window.CKEDITOR_BASEPATH) window.CKEDITOR_BASEPATH = script.dataset.ckeditorBasepath

  // CKEditor itself is loaded when the first editor starts, not with the page.
  let loading = null
  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const element = document.createElement("script")
      element.src = src
      element.onload = resolve
      element.onerror = () => reject(new Error(`无法载入编辑器：${src}`))
      document.head.appendChild(element)
    })
  }
  function loadCKEditor() {
    if (!loading && script.dataset.stylesHref) {
      const link = document.createElement("link")
      link.rel = "stylesheet"
      link.href = script.dataset.stylesHref
      document.head.appendChild(link)
    }
    if (!loading) {
      loading = window.CKEDITOR
        ? Promise.resolve()
        : loadScript(script.dataset.ckeditorSrc).then(() => loadScript(script.dataset.fixupsSrc))
    }
    return loading
  }

  const FIELD = "textarea[data-type=lazy-ckeditor]"
  const waiting = [] // textareas, next to start first
  let starting = null

  const previewOf = (textarea) => textarea.closest(".lazy-editor").querySelector(".lazy-editor-preview")
  const textareaOf = (preview) => preview.closest(".lazy-editor").querySelector(FIELD)
  const isTemplate = (textarea) => textarea.id.includes("__prefix__")

  // Screen readers name the preview as ckeditor-config.js names the editor.
  function fieldTitle(textarea) {
    const match = /entries-(\d+)-body$/.exec(textarea.id)
    return match ? `条目正文（第${Number(match[1]) + 1}条）` : "正文"
  }

  const observer = new IntersectionObserver((records) => {
    for (const record of records) {
      const textarea = textareaOf(record.target)
      if (record.isIntersecting) request(textarea)
      else if (!textarea.dataset.focusWanted) drop(textarea) // scrolled past before its turn
    }
  })

  function watch(root) {
    for (const textarea of root.querySelectorAll(FIELD)) {
      if (isTemplate(textarea) || textarea.dataset.editor) continue
      textarea.dataset.editor = "waiting"
      const preview = previewOf(textarea)
      preview.setAttribute("aria-label", fieldTitle(textarea))
      observer.observe(preview)
    }
  }

  function drop(textarea) {
    const at = waiting.indexOf(textarea)
    if (at >= 0) waiting.splice(at, 1)
  }

  function request(textarea, { focus = false } = {}) {
    if (textarea.dataset.editor === "started") {
      const editor = CKEDITOR.instances[textarea.id]
      if (focus && editor && editor.status === "ready") editor.focus()
      else if (focus) textarea.dataset.focusWanted = "1"
      return
    }
    drop(textarea)
    if (focus) {
      textarea.dataset.focusWanted = "1"
      waiting.unshift(textarea)
    } else {
      waiting.push(textarea)
    }
    startNext()
  }

  function startNext() {
    if (starting || !waiting.length) return
    if (!window.CKEDITOR) {
      loadCKEditor().then(startNext)
      return
    }
    const textarea = waiting.shift()
    starting = textarea
    textarea.dataset.editor = "started"
    const preview = previewOf(textarea)
    observer.unobserve(preview)
    const original = textarea.value
    let editor
    try {
      editor = CKEDITOR.replace(textarea.id, JSON.parse(textarea.dataset.config))
    } catch (error) {
      starting = null
      throw error
    }
    const update = editor.updateElement
    editor.updateElement = function () {
      if (this.checkDirty()) return update.call(this)
      textarea.value = original
      return true
    }
    editor.once("uiReady", () => { preview.hidden = true })
    editor.once("instanceReady", () => {
      starting = null
      if (textarea.dataset.focusWanted) {
        delete textarea.dataset.focusWanted
        editor.focus()
      }
      startNext()
    })
  }

  document.addEventListener("focusin", (event) => {
    const preview = event.target.closest && event.target.closest(".lazy-editor-preview")
    if (preview) request(textareaOf(preview), { focus: true })
  })
  document.addEventListener("click", (event) => {
    const label = event.target.closest && event.target.closest("label[for]")
    const textarea = label && document.getElementById(label.htmlFor)
    if (textarea && textarea.matches(FIELD)) request(textarea, { focus: true })
  })
  // "添加另一个 条目": Django's inlines.js dispatches formset:added on the new row.
  document.addEventListener("formset:added", (event) => watch(event.target))
  document.addEventListener("formset:removed", () => {
    for (const editor of Object.values(window.CKEDITOR ? CKEDITOR.instances : {})) {
      if (!editor.element.$.isConnected) editor.destroy(true)
    }
  })

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => watch(document))
  else watch(document)
})()

/* The entries' 单位 fields start Django's select2 autocomplete when a person reaches them.
 *
 * Django's autocomplete.js starts select2 on every `.admin-autocomplete` select when the page has
 * loaded; on the issue page that is thirteen at once. The 单位 selects of the entry inlines carry
 * `lazy-autocomplete` instead (bulletins/admin/unit_widgets.py); each becomes `admin-autocomplete`
 * and starts when it scrolls into view, or at once when it is focused or pressed first. select2,
 * its translation and Django's autocomplete.js (this script's data-scripts, in Django's order) and
 * their styles are loaded when the first one starts, not with the page.
 */
;(() => {
  const FIELD = "select.lazy-autocomplete"
  const isTemplate = (select) => select.name.includes("__prefix__")
  const script = document.getElementById("lazy-autocomplete-script")

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const element = document.createElement("script")
      element.src = src
      element.onload = resolve
      element.onerror = () => reject(new Error(`无法载入单位选择框：${src}`))
      document.head.appendChild(element)
    })
  }

  let loading = null
  function loadSelect2() {
    if (loading) return loading
    if (django.jQuery.fn.djangoAdminSelect2) return (loading = Promise.resolve())
    for (const href of script.dataset.styles.split(" ")) {
      const link = document.createElement("link")
      link.rel = "stylesheet"
      link.href = href
      document.head.appendChild(link)
    }
    // select2 and its translation register on the global jQuery, which jquery.init.js has
    // handed to django.jQuery; lend it back while they load.
    const before = window.jQuery
    window.jQuery = django.jQuery
    loading = script.dataset.scripts.split(" ").reduce((previous, src) => previous.then(() => loadScript(src)),
      Promise.resolve())
      // autocomplete.js queues its own start of every .admin-autocomplete for jQuery's ready: let that
      // run first, or the field started here would be started again (and its dropdown closed).
      .then(() => new Promise((resolve) => django.jQuery(resolve)))
    const giveBack = () => { if (before === undefined) delete window.jQuery; else window.jQuery = before }
    loading.then(giveBack, giveBack)
    return loading
  }

  function showProblem(select, message) {
    select.parentElement.querySelector(".lazy-autocomplete-error")?.remove()
    if (!message) return
    const note = document.createElement("p")
    note.className = "errornote lazy-autocomplete-error"
    note.textContent = message
    select.insertAdjacentElement("afterend", note)
  }

  function start(select) {
    if (select.dataset.autocomplete === "started" || select.dataset.autocomplete === "loading") {
      return (loading || Promise.resolve()).then(() => select.dataset.autocomplete === "started", () => false)
    }
    select.dataset.autocomplete = "loading"
    observer.unobserve(select)
    return loadSelect2().then(() => {
      showProblem(select, "")
      select.dataset.autocomplete = "started"
      select.classList.replace("lazy-autocomplete", "admin-autocomplete")
      django.jQuery(select).djangoAdminSelect2()
      return true
    }, (error) => {
      // Tried again when the field is next pressed or focused (not on scrolling, to avoid a loop).
      loading = null
      select.dataset.autocomplete = "failed"
      showProblem(select, `${error.message}。已选的单位会照常保存；请检查网络后再点一次此框。`)
      return false
    })
  }

  const observer = new IntersectionObserver((records) => {
    for (const record of records) if (record.isIntersecting) start(record.target)
  })

  function watch(root) {
    for (const select of root.querySelectorAll(FIELD)) {
      if (!isTemplate(select) && !select.dataset.autocomplete) {
        select.dataset.autocomplete = "waiting"
        observer.observe(select)
      }
    }
  }

  // Reached before its turn (a keyboard, a quick click): start it and hand over to select2.
  function startNow(event) {
    const select = event.target.closest && event.target.closest(FIELD)
    if (!select || isTemplate(select)) return
    if (event.type === "mousedown") event.preventDefault()
    const open = event.type === "mousedown"
    start(select).then((started) => {
      if (!started) return
      const $select = django.jQuery(select)
      if (open) $select.select2("open")
      else $select.data("select2").$container.find(".select2-search__field").trigger("focus")
    })
  }
  document.addEventListener("mousedown", startNow)
  document.addEventListener("focusin", startNow)
  // "添加另一个 条目": Django's inlines.js dispatches formset:added on the new row.
  document.addEventListener("formset:added", (event) => watch(event.target))

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => watch(document))
  else watch(document)
})()

/* The entries' 单位 fields start Django's select2 autocomplete when a person reaches them.
 *
 * Django's autocomplete.js starts select2 on every `.admin-autocomplete` select when the page has
 * loaded; on the issue page that is thirteen at once. The 单位 selects of the entry inlines carry
 * `lazy-autocomplete` instead (bulletins/admin/unit_widgets.py); each becomes `admin-autocomplete`
 * and starts when it scrolls into view, or at once when it is focused or pressed first.
 */
;(() => {
  const FIELD = "select.lazy-autocomplete"
  const isTemplate = (select) => select.name.includes("__prefix__")

  function start(select) {
    if (select.dataset.autocomplete === "started") return
    select.dataset.autocomplete = "started"
    observer.unobserve(select)
    select.classList.replace("lazy-autocomplete", "admin-autocomplete")
    django.jQuery(select).djangoAdminSelect2()
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
    const $select = django.jQuery(select)
    start(select)
    if (event.type === "mousedown") {
      event.preventDefault()
      $select.select2("open")
    } else {
      $select.data("select2").$container.find(".select2-search__field").trigger("focus")
    }
  }
  document.addEventListener("mousedown", startNow)
  document.addEventListener("focusin", startNow)
  // "添加另一个 条目": Django's inlines.js dispatches formset:added on the new row.
  document.addEventListener("formset:added", (event) => watch(event.target))

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => watch(document))
  else watch(document)
})()

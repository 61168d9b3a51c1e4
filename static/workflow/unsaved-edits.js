/* No edit is silently lost on the issue and entry pages of the admin.
 *
 * The browser warns before leaving a page with unsaved changes (CKEditor edits included). A
 * workflow button (提交审核, 通过审核, …) pressed while the page has unsaved changes does not
 * drop them: the change form is submitted instead, carrying the transition and its fields
 * (`_workflow`, comment, …); the server saves the edits under the page's conflict check and
 * runs the transition in the same transaction (bulletins/admin/issues.py).
 */
/* global CKEDITOR */
;(() => {
  const form = document.querySelector("form#issue_form, form#entry_form")
  if (!form) return
  let changed = false
  let leaving = false

  const editors = () => (window.CKEDITOR ? Object.values(CKEDITOR.instances) : [])
  const hasUnsavedChanges = () => changed || editors().some((editor) => editor.checkDirty())

  form.addEventListener("input", () => { changed = true })
  form.addEventListener("change", () => { changed = true })
  form.addEventListener("submit", () => { leaving = true })

  window.addEventListener("beforeunload", (event) => {
    if (leaving || !hasUnsavedChanges()) return
    event.preventDefault()
    event.returnValue = ""
  })

  function addHidden(name, value) {
    const input = document.createElement("input")
    input.type = "hidden"
    input.name = name
    input.value = value
    form.appendChild(input)
  }

  for (const workflowForm of document.querySelectorAll("form.workflow-form")) {
    workflowForm.addEventListener("submit", (event) => {
      if (!hasUnsavedChanges()) {
        leaving = true
        return
      }
      event.preventDefault()
      for (const field of workflowForm.elements) {
        if (!field.name || ["csrfmiddlewaretoken", "version", "transition"].includes(field.name)) continue
        if ((field.type === "radio" || field.type === "checkbox") && !field.checked) continue
        addHidden(field.name, field.value)
      }
      addHidden("_workflow", workflowForm.dataset.action)
      for (const editor of editors()) editor.updateElement()
      leaving = true
      HTMLFormElement.prototype.submit.call(form)
    })
  }
})()

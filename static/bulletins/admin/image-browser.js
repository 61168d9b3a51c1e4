/* Image browser popup: hand the chosen image (and its alt text) back to CKEditor's dialog. */
;(() => {
  document.addEventListener("click", (event) => {
    const button = event.target.closest(".entry-image-pick")
    if (!button || !window.opener || !window.opener.CKEDITOR) return
    const list = button.closest(".entry-image-browser")
    const funcNum = list.getAttribute("data-func-num")
    const alt = button.getAttribute("data-alt")
    window.opener.CKEDITOR.tools.callFunction(funcNum, button.getAttribute("data-url"), function () {
      const dialog = this.getDialog()
      const altField = dialog && dialog.getName() === "image" && dialog.getContentElement("info", "txtAlt")
      if (altField) altField.setValue(alt)
    })
    window.close()
  })
})()

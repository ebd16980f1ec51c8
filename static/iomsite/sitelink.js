// "Link to site content" in the rich-text editor (django-prose-editor's configurable preset loads this
// module; settings.DJANGO_PROSE_EDITOR_EXTENSIONS). The chosen link keeps a reference to its target,
// <a data-ref="app.model:pk" href="…">, so the site renders the target's current address in each
// language (iomsite/richtext.py). Typed links stay with the editor's own link button.
import { Extension, gettext } from "django-prose-editor/editor"

function el(tag, attrs, ...children) {
  const node = document.createElement(tag)
  Object.entries(attrs || {}).forEach(([key, value]) => node.setAttribute(key, value))
  children.forEach((child) => node.append(child))
  return node
}

function chooserDialog(url) {
  return new Promise((resolve) => {
    const input = el("input", { type: "search", id: "sitelink-q", autocomplete: "off", class: "sitelink-q" })
    const status = el("p", { class: "sitelink-status", "aria-live": "polite" })
    const list = el("ul", { class: "sitelink-results", id: "sitelink-results" })
    const cancel = el("button", { type: "button", class: "button sitelink-cancel" }, gettext("Cancel"))
    const dialog = el(
      "dialog",
      { class: "prose-editor-dialog sitelink-dialog", "aria-labelledby": "sitelink-title" },
      el("h2", { id: "sitelink-title" }, gettext("Link to site content")),
      el("label", { for: "sitelink-q" }, gettext("Find a page, publication, chapter, event…")),
      input,
      status,
      list,
      cancel,
    )
    let timer = null
    let chosen = null
    const search = () => {
      const term = input.value.trim()
      if (!term) {
        list.replaceChildren()
        status.textContent = ""
        return
      }
      fetch(`${url}?${new URLSearchParams({ q: term })}`, { credentials: "same-origin" })
        .then((response) => response.json())
        .then((data) => {
          if (input.value.trim() !== term) return
          list.replaceChildren(
            ...data.results.map((item) => {
              const button = el("button", { type: "button", class: "sitelink-choice", "data-ref": item.ref })
              button.append(el("strong", {}, item.title), " ", el("small", {}, `${item.kind} · ${item.state}`))
              button.addEventListener("click", () => {
                chosen = item
                dialog.close()
              })
              return el("li", {}, button)
            }),
          )
          status.textContent = data.results.length ? "" : gettext("Nothing found.")
        })
        .catch(() => {
          status.textContent = gettext("The search did not answer; try again.")
        })
    }
    input.addEventListener("input", () => {
      clearTimeout(timer)
      timer = setTimeout(search, 200)
    })
    input.addEventListener("keydown", (event) => {
      if (event.key === "Enter") {
        event.preventDefault()
        const first = list.querySelector("button")
        if (first) first.click()
      } else if (event.key === "ArrowDown") {
        event.preventDefault()
        list.querySelector("button")?.focus()
      }
    })
    list.addEventListener("keydown", (event) => {
      const buttons = [...list.querySelectorAll("button")]
      const index = buttons.indexOf(document.activeElement)
      if (event.key === "ArrowDown" && index < buttons.length - 1) buttons[index + 1].focus()
      else if (event.key === "ArrowUp") (index > 0 ? buttons[index - 1] : input).focus()
      else return
      event.preventDefault()
    })
    cancel.addEventListener("click", () => dialog.close())
    dialog.addEventListener("close", () => {
      dialog.remove()
      resolve(chosen)
    })
    document.body.append(dialog)
    dialog.showModal()
    input.focus()
  })
}

export const SiteLink = Extension.create({
  name: "siteLink",

  addOptions() {
    return { url: "/admin/explore/choose/" }
  },

  addGlobalAttributes() {
    return [
      {
        types: ["link"],
        attributes: {
          ref: {
            default: null,
            parseHTML: (element) => element.getAttribute("data-ref"),
            renderHTML: (attributes) => (attributes.ref ? { "data-ref": attributes.ref } : {}),
          },
        },
      },
    ]
  },

  addMenuItems({ menu, buttons }) {
    const options = this.options
    menu.defineItem({
      name: "siteLink",
      groups: "link",
      command(editor) {
        editor.commands.chooseSiteLink(options.url)
      },
      button: buttons.material("travel_explore", gettext("Link to site content")),
      active(editor) {
        return editor.isActive("link") && Boolean(editor.getAttributes("link").ref)
      },
    })
  },

  addCommands() {
    return {
      chooseSiteLink:
        (url) =>
        ({ editor }) => {
          const { from, to, empty } = editor.state.selection
          chooserDialog(url || this.options.url).then((item) => {
            if (!item) {
              editor.commands.focus()
              return
            }
            const attrs = { href: item.url, ref: item.ref }
            const chain = editor.chain().focus().setTextSelection({ from, to })
            if (editor.isActive("link")) {
              chain.extendMarkRange("link").updateAttributes("link", attrs).run()
            } else if (empty) {
              chain.insertContent({ type: "text", text: item.title, marks: [{ type: "link", attrs }] }).run()
            } else {
              chain.setMark("link", attrs).run()
            }
          })
          return true
        },
    }
  },
})

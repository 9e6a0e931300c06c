"use client";

/**
 * "Skip to content": the first thing Tab reaches on every page. It moves focus
 * to the page's main content: `#main` where a page names it, else its <main>.
 */
export function SkipLink() {
  return (
    <a
      href="#main"
      onClick={(event) => {
        const main = document.getElementById("main") ?? document.querySelector("main");
        if (!main) return;
        event.preventDefault();
        if (!main.hasAttribute("tabindex")) main.setAttribute("tabindex", "-1");
        main.focus({ preventScroll: true });
        main.scrollIntoView({ block: "start" });
      }}
      className="fixed top-2 left-2 z-[100] -translate-y-16 rounded-md bg-indigo-600 px-3 py-2 text-sm font-medium text-white shadow-lg transition-transform focus:translate-y-0 focus-visible:outline-offset-2"
      data-testid="skip-link"
    >
      Skip to content
    </a>
  );
}

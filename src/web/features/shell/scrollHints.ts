import { useEffect } from 'react';

/**
 * Wide tables on a phone say that they scroll (issue #13 item 7). Every table sits in a focusable, labelled
 * scroll region (`.table-wrap`, role="region"); this marks those that are wider than the screen with
 * `data-scrolls` and the hint text, which the stylesheet shows above the table with a shadow at the edge.
 * One observer for the whole page, so no page has to remember it.
 */
export function useScrollHints(root: HTMLElement | null, hint: string) {
  useEffect(() => {
    if (!root) return;
    let frame = 0;
    const mark = () => {
      frame = 0;
      for (const el of root.querySelectorAll<HTMLElement>('.table-wrap')) {
        const scrolls = el.scrollWidth > el.clientWidth + 1;
        if (scrolls !== el.hasAttribute('data-scrolls')) el.toggleAttribute('data-scrolls', scrolls);
        if (scrolls && el.getAttribute('data-scroll-hint') !== hint) el.setAttribute('data-scroll-hint', hint);
      }
    };
    const later = () => {
      if (!frame) frame = requestAnimationFrame(mark);
    };
    const mutations = new MutationObserver(later);
    mutations.observe(root, { childList: true, subtree: true });
    window.addEventListener('resize', later);
    later();
    return () => {
      mutations.disconnect();
      window.removeEventListener('resize', later);
      if (frame) cancelAnimationFrame(frame);
    };
  }, [root, hint]);
}

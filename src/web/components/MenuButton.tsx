import { useEffect, useId, useRef, useState, type ReactNode } from 'react';

export interface MenuButtonItem {
  id: string;
  label: string;
}

/**
 * A button that opens a menu (WAI-ARIA menu button pattern): Enter, Space or ArrowDown opens it on the first item,
 * ArrowUp on the last; arrows, Home and End move; Escape closes it and gives focus back to the button; Tab or a
 * click elsewhere closes it. Hand-written so the first page does not download a component library for one menu.
 */
export function MenuButton({
  label,
  children,
  items,
  onAction,
  className,
}: {
  /** The menu's accessible name. */
  label: string;
  /** The button's content (its accessible name). */
  children: ReactNode;
  items: MenuButtonItem[];
  onAction: (id: string) => void;
  className?: string;
}) {
  const [open, setOpen] = useState(false);
  const [focusIndex, setFocusIndex] = useState(0);
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const wrapRef = useRef<HTMLDivElement>(null);
  const itemRefs = useRef<(HTMLButtonElement | null)[]>([]);

  useEffect(() => {
    if (open) itemRefs.current[focusIndex]?.focus();
  }, [open, focusIndex]);

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!wrapRef.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener('pointerdown', onPointer);
    return () => document.removeEventListener('pointerdown', onPointer);
  }, [open]);

  const openAt = (index: number) => {
    setFocusIndex(index);
    setOpen(true);
  };
  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) buttonRef.current?.focus();
  };
  const last = items.length - 1;

  return (
    <div className="menu-wrap" ref={wrapRef}>
      <button
        ref={buttonRef}
        type="button"
        className={className}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={open ? menuId : undefined}
        onClick={() => (open ? close(false) : openAt(0))}
        onKeyDown={(e) => {
          if (e.key === 'ArrowDown') {
            e.preventDefault();
            openAt(0);
          } else if (e.key === 'ArrowUp') {
            e.preventDefault();
            openAt(last);
          }
        }}
      >
        {children}
      </button>
      {open && (
        <div className="popover popover-end">
          <div
            id={menuId}
            role="menu"
            aria-label={label}
            className="menu"
            onKeyDown={(e) => {
              const moves: Record<string, number> = {
                ArrowDown: focusIndex === last ? 0 : focusIndex + 1,
                ArrowUp: focusIndex === 0 ? last : focusIndex - 1,
                Home: 0,
                End: last,
              };
              if (e.key in moves) {
                e.preventDefault();
                setFocusIndex(moves[e.key]!);
              } else if (e.key === 'Escape') {
                e.preventDefault();
                close(true);
              } else if (e.key === 'Tab') close(false);
            }}
          >
            {items.map((item, i) => (
              <button
                key={item.id}
                ref={(el) => {
                  itemRefs.current[i] = el;
                }}
                type="button"
                role="menuitem"
                tabIndex={i === focusIndex ? 0 : -1}
                className="menu-item"
                onFocus={() => setFocusIndex(i)}
                onClick={() => {
                  close(true);
                  onAction(item.id);
                }}
              >
                {item.label}
              </button>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

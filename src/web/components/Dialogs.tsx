import type { FormEvent, ReactNode } from 'react';
import { Dialog, Heading, Modal, ModalOverlay } from 'react-aria-components';
import { useTranslation } from 'react-i18next';
import { ErrorMessage } from './Feedback.tsx';

/** A modal dialog with a heading; focus is trapped inside and returns to the opener on close. */
export function AppDialog({
  title,
  isOpen,
  onClose,
  children,
  role = 'dialog',
}: {
  title: string;
  isOpen: boolean;
  onClose: () => void;
  children: ReactNode;
  role?: 'dialog' | 'alertdialog';
}) {
  return (
    <ModalOverlay isOpen={isOpen} onOpenChange={(open) => !open && onClose()} isDismissable className="modal-overlay">
      <Modal className="modal">
        <Dialog role={role} className="dialog">
          <Heading slot="title" className="dialog-title">
            {title}
          </Heading>
          {children}
        </Dialog>
      </Modal>
    </ModalOverlay>
  );
}

/** A form in a dialog: submit and cancel buttons, the API error above the buttons. */
export function FormDialog({
  title,
  isOpen,
  onClose,
  onSubmit,
  submitLabel,
  pending,
  error,
  onReload,
  children,
}: {
  title: string;
  isOpen: boolean;
  onClose: () => void;
  onSubmit: () => void;
  submitLabel?: string;
  pending?: boolean;
  error?: unknown;
  onReload?: () => void;
  children: ReactNode;
}) {
  const { t } = useTranslation();
  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit();
  };
  return (
    <AppDialog title={title} isOpen={isOpen} onClose={onClose}>
      <form onSubmit={submit} noValidate>
        {children}
        <ErrorMessage error={error} onReload={onReload} />
        <div className="button-row">
          <button type="submit" className="btn btn-primary" disabled={pending}>
            {submitLabel ?? t('common.save')}
          </button>
          <button type="button" className="btn" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </AppDialog>
  );
}

/** "Are you sure?" with confirm and cancel. */
export function ConfirmDialog({
  title,
  text,
  isOpen,
  onClose,
  onConfirm,
  confirmLabel,
  pending,
  error,
  onReload,
  tone = 'danger',
}: {
  title: string;
  text: string;
  isOpen: boolean;
  onClose: () => void;
  onConfirm: () => void;
  confirmLabel: string;
  pending?: boolean;
  error?: unknown;
  onReload?: () => void;
  /** 'danger' (red) for what removes or cannot be undone; 'primary' for a step forward such as submitting. */
  tone?: 'danger' | 'primary';
}) {
  const { t } = useTranslation();
  return (
    <AppDialog title={title} isOpen={isOpen} onClose={onClose} role="alertdialog">
      <p>{text}</p>
      <ErrorMessage error={error} onReload={onReload} />
      <div className="button-row">
        <button type="button" className={tone === 'danger' ? 'btn btn-danger' : 'btn btn-primary'} onClick={onConfirm} disabled={pending}>
          {confirmLabel}
        </button>
        <button type="button" className="btn" onClick={onClose} autoFocus>
          {t('common.cancel')}
        </button>
      </div>
    </AppDialog>
  );
}

// The land officers' HTTP Basic sign-in (sessionStorage, this tab only), shared by the editor and the import page:
// their markup has #signin (with #signin-form, #login-user, #login-password, #signin-status), #workspace and #logout.
// Nothing of the page's work shows before the API has accepted an officer.
import { ApiError, getJson, credentials, setCredentials, clearCredentials } from './api';
import { t } from './i18n';
import { clear, h, loading, showError } from './dom';

const $ = (id: string) => document.getElementById(id) as HTMLElement;

function showSignIn(message?: string): void {
  $('workspace').hidden = true;
  $('signin').hidden = false;
  $('logout').hidden = true;
  const status = $('signin-status');
  clear(status);
  if (message) status.append(h('p', { class: 'status error', role: 'alert', text: message }));
}

/**
 * Binds the sign-in form and the sign-out button; returns the check to run now (and after a sign-in): with stored
 * credentials of an officer it calls {@code onOfficer} with the user name, else it shows the form (with
 * {@code notOfficerKey}'s message for an account that is not an officer's).
 */
export function officerSignIn(onOfficer: (user: string) => void, notOfficerKey: string): (message?: string) => Promise<void> {
  async function check(message?: string): Promise<void> {
    const status = $('signin-status');
    const c = credentials();
    if (!c) return showSignIn(message);
    loading(status);
    status.firstElementChild!.textContent = t('ed.signin.checking');
    try {
      const me = await getJson<{ user: string; officer: boolean }>('/api/web/me', { auth: true });
      if (!me?.officer) {
        clearCredentials();
        return showSignIn(t(notOfficerKey, me?.user ?? c.user));
      }
      clear(status);
      onOfficer(me.user);
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        clearCredentials();
        showSignIn(t('login.failed'));
      } else {
        showSignIn();
        showError(status, e);
      }
    }
  }
  $('signin-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const password = $('login-password') as HTMLInputElement;
    setCredentials(($('login-user') as HTMLInputElement).value.trim(), password.value);
    password.value = '';
    check();
  });
  $('logout').addEventListener('click', () => {
    clearCredentials();
    location.reload();
  });
  return check;
}

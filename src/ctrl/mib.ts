/**
 * MIB: wpa_sm_get_mib() followed by eapol_sm_get_mib(), in wpa_supplicant
 * 2.10's layout. The RSNA block shows the suites of the last RSN association
 * (wpa_sm keeps them after a disconnect, as 2.10 does); before any, the
 * values the reference prints before connecting. The PMK lifetime, reauth
 * threshold and SA timeout follow the configuration.
 *
 * The 802.1X supplicant block is the EAPOL state machine's, which this daemon
 * does not run (no EAP methods): its state and counters stay at their initial
 * values; only the controlled port status follows the connection, and the
 * timers show what SET EAPOL::<name> configured.
 */
import { akmInfo, cipherInfo, IEEE80211_OUI } from '../rsn/akm.js';
import type { MibState } from '../station/api.js';

export interface MibConfig {
  pmkLifetime: number;
  pmkReauthThreshold: number;
  saTimeout: number;
}

const NO_SUITE = '00-00-00-0';

/** RSN_SUITE "%02x-%02x-%02x-%d" of a 00-0F-AC selector. */
function rsnSuite(type: number): string {
  const oui = IEEE80211_OUI.toString(16).padStart(6, '0');
  return `${oui.slice(0, 2)}-${oui.slice(2, 4)}-${oui.slice(4, 6)}-${type}`;
}

export function formatMib(cfg: MibConfig, st: MibState): string {
  const r = st.rsna;
  const akm = r ? rsnSuite(akmInfo(r.akm).selector) : NO_SUITE;
  const pairwise = r ? rsnSuite(cipherInfo(r.pairwise).selector) : NO_SUITE;
  const group = r ? rsnSuite(cipherInfo(r.group).selector) : NO_SUITE;
  const rsna = r ? 'TRUE' : 'FALSE';
  return (
    'dot11RSNAOptionImplemented=TRUE\n' +
    'dot11RSNAPreauthenticationImplemented=TRUE\n' +
    `dot11RSNAEnabled=${rsna}\n` +
    `dot11RSNAPreauthenticationEnabled=${rsna}\n` +
    'dot11RSNAConfigVersion=1\n' +
    'dot11RSNAConfigPairwiseKeysSupported=5\n' +
    `dot11RSNAConfigGroupCipherSize=${r ? cipherInfo(r.group).keyLen * 8 : 0}\n` +
    `dot11RSNAConfigPMKLifetime=${cfg.pmkLifetime}\n` +
    `dot11RSNAConfigPMKReauthThreshold=${cfg.pmkReauthThreshold}\n` +
    'dot11RSNAConfigNumberOfPTKSAReplayCounters=1\n' +
    `dot11RSNAConfigSATimeout=${cfg.saTimeout}\n` +
    `dot11RSNAAuthenticationSuiteSelected=${akm}\n` +
    `dot11RSNAPairwiseCipherSelected=${pairwise}\n` +
    `dot11RSNAGroupCipherSelected=${group}\n` +
    `dot11RSNAPMKIDUsed=${r?.pmkid?.toString('hex') ?? ''}\n` +
    `dot11RSNAAuthenticationSuiteRequested=${akm}\n` +
    `dot11RSNAPairwiseCipherRequested=${pairwise}\n` +
    `dot11RSNAGroupCipherRequested=${group}\n` +
    'dot11RSNAConfigNumberOfGTKSAReplayCounters=0\n' +
    `dot11RSNA4WayHandshakeFailures=${st.fourWayFailures}\n` +
    'dot1xSuppPaeState=1\n' +
    `dot1xSuppHeldPeriod=${st.eapol.heldPeriod}\n` +
    `dot1xSuppAuthPeriod=${st.eapol.authPeriod}\n` +
    `dot1xSuppStartPeriod=${st.eapol.startPeriod}\n` +
    `dot1xSuppMaxStart=${st.eapol.maxStart}\n` +
    `dot1xSuppSuppControlledPortStatus=${st.portAuthorized ? 'Authorized' : 'Unauthorized'}\n` +
    'dot1xSuppBackendPaeState=1\n' +
    'dot1xSuppEapolFramesRx=0\n' +
    'dot1xSuppEapolFramesTx=0\n' +
    'dot1xSuppEapolStartFramesTx=0\n' +
    'dot1xSuppEapolLogoffFramesTx=0\n' +
    'dot1xSuppEapolRespFramesTx=0\n' +
    'dot1xSuppEapolReqIdFramesRx=0\n' +
    'dot1xSuppEapolReqFramesRx=0\n' +
    'dot1xSuppInvalidEapolFramesRx=0\n' +
    'dot1xSuppEapLengthErrorFramesRx=0\n' +
    'dot1xSuppLastEapolFrameVersion=0\n' +
    'dot1xSuppLastEapolFrameSource=00:00:00:00:00:00\n'
  );
}

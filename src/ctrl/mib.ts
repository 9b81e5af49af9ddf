/**
 * MIB: wpa_sm_get_mib() followed by eapol_sm_get_mib(), in wpa_supplicant
 * 2.10's layout. The values here are those of a supplicant with no RSN
 * association (as the reference prints them before connecting); the PMK
 * lifetime, reauth threshold and SA timeout follow the configuration.
 */
export interface MibConfig {
  pmkLifetime: number;
  pmkReauthThreshold: number;
  saTimeout: number;
}

const NO_SUITE = '00-00-00-0';

export function formatMib(cfg: MibConfig): string {
  return (
    'dot11RSNAOptionImplemented=TRUE\n' +
    'dot11RSNAPreauthenticationImplemented=TRUE\n' +
    'dot11RSNAEnabled=FALSE\n' +
    'dot11RSNAPreauthenticationEnabled=FALSE\n' +
    'dot11RSNAConfigVersion=1\n' +
    'dot11RSNAConfigPairwiseKeysSupported=5\n' +
    'dot11RSNAConfigGroupCipherSize=0\n' +
    `dot11RSNAConfigPMKLifetime=${cfg.pmkLifetime}\n` +
    `dot11RSNAConfigPMKReauthThreshold=${cfg.pmkReauthThreshold}\n` +
    'dot11RSNAConfigNumberOfPTKSAReplayCounters=1\n' +
    `dot11RSNAConfigSATimeout=${cfg.saTimeout}\n` +
    `dot11RSNAAuthenticationSuiteSelected=${NO_SUITE}\n` +
    `dot11RSNAPairwiseCipherSelected=${NO_SUITE}\n` +
    `dot11RSNAGroupCipherSelected=${NO_SUITE}\n` +
    'dot11RSNAPMKIDUsed=\n' +
    `dot11RSNAAuthenticationSuiteRequested=${NO_SUITE}\n` +
    `dot11RSNAPairwiseCipherRequested=${NO_SUITE}\n` +
    `dot11RSNAGroupCipherRequested=${NO_SUITE}\n` +
    'dot11RSNAConfigNumberOfGTKSAReplayCounters=0\n' +
    'dot11RSNA4WayHandshakeFailures=0\n' +
    'dot1xSuppPaeState=1\n' +
    'dot1xSuppHeldPeriod=60\n' +
    'dot1xSuppAuthPeriod=30\n' +
    'dot1xSuppStartPeriod=30\n' +
    'dot1xSuppMaxStart=3\n' +
    'dot1xSuppSuppControlledPortStatus=Unauthorized\n' +
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
